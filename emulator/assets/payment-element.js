/*
 * The Payment Element of the Stripe.js stand-in. Runs inside the iframe
 * served from the emulator's origin, so raw payment details never reach the
 * merchant's page: it creates the PaymentMethod itself and hands the page
 * only its id.
 */
(function () {
  'use strict';

  var frame = window.StripeEmulatorFrame;
  var send = frame.send;
  var reportSize = frame.reportSize;
  var root = document.getElementById('root');
  var config = null;
  var session = null;
  var t = null;
  var state = null;

  var TEXTS = {
    en: {
      testMode: 'Test mode', saved: 'Saved payment methods', newMethod: 'New payment method', remove: 'Remove', expires: 'Expires',
      removeAsk: 'Remove this payment method?', removeYes: 'Yes, remove', cancel: 'Cancel', moreLabel: 'More',
      methods: 'Payment method', card: 'Card', sepa_debit: 'SEPA Debit', us_bank_account: 'US bank account', link: 'Link',
      acss_debit: 'Canadian pre-authorized debit', bacs_debit: 'Bacs Direct Debit', au_becs_debit: 'BECS Direct Debit',
      nz_bank_account: 'New Zealand bank account',
      institution: 'Institution number', transit: 'Transit number', sortCode: 'Sort code', bsb: 'BSB', bankCode: 'Bank code',
      branchCode: 'Branch code', suffix: 'Suffix', line1: 'Address', city: 'City',
      acssMandate: 'By confirming, you authorise the merchant and Stripe to debit the bank account shown under a pre-authorized debit agreement, for this payment and, if you save it, for future payments. You can cancel it by contacting the merchant.',
      bacsMandate: 'By confirming, you authorise the merchant to debit the bank account shown by Direct Debit through Stripe. Your payments are protected by the Direct Debit Guarantee.',
      becsMandate: 'By confirming, you agree to a Direct Debit Request and authorise Stripe to debit the bank account shown through the Bulk Electronic Clearing System (BECS) on behalf of the merchant.',
      nzMandate: 'By confirming, you authorise the merchant to debit the bank account shown by direct debit through Stripe, for this payment and, if you save it, for future payments.',
      ideal: 'iDEAL', bancontact: 'Bancontact', sofort: 'Sofort',
      cardNumber: 'Card number', expiry: 'Expiration date', cvc: 'Security code', country: 'Country', zip: 'ZIP', postal: 'Postal code',
      fullName: 'Full name', email: 'Email', iban: 'IBAN', routing: 'Routing number', account: 'Account number',
      methodList: 'Payment Methods', more: 'More payment methods',
      bank: 'iDEAL bank', selectBank: 'Select bank', linkCode: 'Verification code', linkSend: 'Continue with Link',
      linkSent: 'Enter the 6-digit code sent to', linkVerified: 'Signed in to Link as',
      save: 'Save payment details for future purchases',
      sepaMandate: 'By providing your payment information and confirming this payment, you authorise the merchant and Stripe, our payment service provider, to send instructions to your bank to debit your account and your bank to debit your account in accordance with those instructions. You are entitled to a refund from your bank under the terms and conditions of your agreement with your bank.',
      achMandate: 'By confirming this payment, you authorise the merchant to debit the bank account shown for this payment and, if you save it, for future payments in accordance with its terms. You can cancel this authorisation at any time by contacting the merchant.',
      redirectNotice: 'After submission, you will be redirected to securely complete next steps.',
      e: {
        incomplete_number: 'Your card number is incomplete.', invalid_number: 'Your card number is invalid.',
        incomplete_expiry: 'Your card\'s expiration date is incomplete.', invalid_expiry_year_past: 'Your card\'s expiration year is in the past.',
        invalid_expiry_month: 'Your card\'s expiration date is invalid.', incomplete_cvc: 'Your card\'s security code is incomplete.',
        incomplete_zip: 'Your postal code is incomplete.', incomplete_name: 'Please provide your full name.',
        incomplete_email: 'Your email address is incomplete.', invalid_email: 'Your email address is invalid.',
        incomplete_iban: 'Your IBAN is incomplete.', invalid_iban: 'Your IBAN is invalid.',
        incomplete_routing: 'Your routing number is incomplete.', incomplete_account: 'Your account number is incomplete.',
        incomplete_bank: 'Select your bank.', incomplete_country: 'Select your country.',
        incomplete_institution: 'Your institution number is incomplete.', incomplete_transit: 'Your transit number is incomplete.',
        incomplete_sort_code: 'Your sort code is incomplete.', incomplete_bsb: 'Your BSB is incomplete.',
        incomplete_bank_code: 'Your bank code is incomplete.', incomplete_branch_code: 'Your branch code is incomplete.',
        incomplete_suffix: 'Your account suffix is incomplete.', incomplete_line1: 'Your address is incomplete.',
        incomplete_city: 'Your city is incomplete.',
        link_unverified: 'Enter the code we sent you to continue with Link.',
      },
    },
    fr: {
      testMode: 'Mode test', saved: 'Moyens de paiement enregistrés', newMethod: 'Nouveau moyen de paiement', remove: 'Supprimer', expires: 'Expire fin',
      removeAsk: 'Supprimer ce moyen de paiement ?', removeYes: 'Oui, supprimer', cancel: 'Annuler', moreLabel: 'Plus',
      methods: 'Moyen de paiement', card: 'Carte', sepa_debit: 'Prélèvement SEPA', us_bank_account: 'Compte bancaire américain', link: 'Link',
      acss_debit: 'Prélèvement préautorisé canadien', bacs_debit: 'Prélèvement Bacs', au_becs_debit: 'Prélèvement BECS',
      nz_bank_account: 'Compte bancaire néo-zélandais',
      institution: 'Numéro d\'institution', transit: 'Numéro de domiciliation', sortCode: 'Code guichet', bsb: 'BSB', bankCode: 'Code banque',
      branchCode: 'Code agence', suffix: 'Suffixe', line1: 'Adresse', city: 'Ville',
      acssMandate: 'En confirmant, vous autorisez le marchand et Stripe à débiter le compte bancaire indiqué dans le cadre d\'un accord de prélèvement préautorisé, pour ce paiement et, si vous l\'enregistrez, pour vos prochains paiements. Vous pouvez l\'annuler auprès du marchand.',
      bacsMandate: 'En confirmant, vous autorisez le marchand à débiter le compte bancaire indiqué par prélèvement (Direct Debit) via Stripe. Vos paiements sont protégés par la Direct Debit Guarantee.',
      becsMandate: 'En confirmant, vous acceptez une demande de prélèvement (Direct Debit Request) et autorisez Stripe à débiter le compte bancaire indiqué via le Bulk Electronic Clearing System (BECS) pour le compte du marchand.',
      nzMandate: 'En confirmant, vous autorisez le marchand à débiter le compte bancaire indiqué par prélèvement via Stripe, pour ce paiement et, si vous l\'enregistrez, pour vos prochains paiements.',
      ideal: 'iDEAL', bancontact: 'Bancontact', sofort: 'Sofort',
      cardNumber: 'Numéro de carte', expiry: 'Date d\'expiration', cvc: 'Code de sécurité', country: 'Pays', zip: 'Code postal', postal: 'Code postal',
      fullName: 'Nom complet', email: 'E-mail', iban: 'IBAN', routing: 'Numéro de routage', account: 'Numéro de compte',
      methodList: 'Moyens de paiement', more: 'Autres moyens de paiement',
      bank: 'Banque iDEAL', selectBank: 'Choisissez votre banque', linkCode: 'Code de vérification', linkSend: 'Continuer avec Link',
      linkSent: 'Saisissez le code à 6 chiffres envoyé à', linkVerified: 'Connecté à Link en tant que',
      save: 'Enregistrer mes informations de paiement pour mes prochains achats',
      sepaMandate: 'En fournissant vos informations de paiement et en confirmant ce paiement, vous autorisez le marchand et Stripe, notre prestataire de services de paiement, à envoyer des instructions à votre banque pour débiter votre compte, et votre banque à débiter votre compte conformément à ces instructions. Vous avez droit à un remboursement de la part de votre banque selon les conditions décrites dans la convention que vous avez passée avec elle.',
      achMandate: 'En confirmant ce paiement, vous autorisez le marchand à débiter le compte bancaire indiqué pour ce paiement et, si vous l\'enregistrez, pour vos prochains paiements. Vous pouvez révoquer cette autorisation à tout moment auprès du marchand.',
      redirectNotice: 'Après validation, vous serez redirigé pour finaliser le paiement en toute sécurité.',
      e: {
        incomplete_number: 'Votre numéro de carte est incomplet.', invalid_number: 'Votre numéro de carte n\'est pas valide.',
        incomplete_expiry: 'La date d\'expiration de votre carte est incomplète.', invalid_expiry_year_past: 'L\'année d\'expiration de votre carte est passée.',
        invalid_expiry_month: 'La date d\'expiration de votre carte n\'est pas valide.', incomplete_cvc: 'Le code de sécurité de votre carte est incomplet.',
        incomplete_zip: 'Votre code postal est incomplet.', incomplete_name: 'Veuillez indiquer votre nom complet.',
        incomplete_email: 'L\'adresse e-mail est incomplète.', invalid_email: 'L\'adresse e-mail n\'est pas valide.',
        incomplete_iban: 'L\'IBAN est incomplet.', invalid_iban: 'L\'IBAN n\'est pas valide.',
        incomplete_routing: 'Le numéro de routage est incomplet.', incomplete_account: 'Le numéro de compte est incomplet.',
        incomplete_bank: 'Choisissez votre banque.', incomplete_country: 'Choisissez votre pays.',
        incomplete_institution: 'Votre numéro d\'institution est incomplet.', incomplete_transit: 'Votre numéro de domiciliation est incomplet.',
        incomplete_sort_code: 'Votre code guichet est incomplet.', incomplete_bsb: 'Votre BSB est incomplet.',
        incomplete_bank_code: 'Votre code banque est incomplet.', incomplete_branch_code: 'Votre code agence est incomplet.',
        incomplete_suffix: 'Le suffixe de votre compte est incomplet.', incomplete_line1: 'Votre adresse est incomplète.',
        incomplete_city: 'Votre ville est incomplète.',
        link_unverified: 'Saisissez le code reçu pour continuer avec Link.',
      },
    },
  };

  var IDEAL_BANKS = [['abn_amro', 'ABN AMRO'], ['asn_bank', 'ASN Bank'], ['bunq', 'bunq'], ['ing', 'ING'], ['knab', 'Knab'], ['rabobank', 'Rabobank'],
    ['regiobank', 'RegioBank'], ['revolut', 'Revolut'], ['sns_bank', 'SNS Bank'], ['triodos_bank', 'Triodos Bank'], ['van_lanschot', 'Van Lanschot']];
  var SOFORT_COUNTRIES = ['AT', 'BE', 'DE', 'ES', 'IT', 'NL'];
  // ISO codes as option values, names as labels, as in Stripe's country select.
  var COUNTRIES = [['AU', 'Australia'], ['AT', 'Austria'], ['BE', 'Belgium'], ['CA', 'Canada'], ['DK', 'Denmark'], ['FI', 'Finland'],
    ['FR', 'France'], ['DE', 'Germany'], ['IE', 'Ireland'], ['IT', 'Italy'], ['LU', 'Luxembourg'], ['NL', 'Netherlands'], ['NO', 'Norway'],
    ['PL', 'Poland'], ['PT', 'Portugal'], ['ES', 'Spain'], ['SE', 'Sweden'], ['CH', 'Switzerland'], ['GB', 'United Kingdom'],
    ['US', 'United States']];
  // Where Stripe's card form asks for a postal code.
  var POSTAL_CODE_COUNTRIES = ['US', 'CA', 'GB'];
  // Internal field keys whose Stripe field name differs (ids are `Field-<name>Input`).
  var FIELD_NAMES = { sofortCountry: 'country', routing: 'routingNumber', account: 'accountNumber', zip: 'postalCode', code: 'linkOtp',
    institution: 'institutionNumber', transit: 'transitNumber', sortCode: 'sortCode', bsb: 'bsbNumber', bankCode: 'bankCode',
    branchCode: 'branchCode', suffix: 'suffix', line1: 'addressLine1', city: 'locality', postal: 'postalCode' };
  // The bank debits of Canada, the UK, Australia and New Zealand: each
  // one's bank fields (besides the account number) and its mandate.
  var DEBITS = {
    acss_debit: { bank: ['institution', 'transit'], account: 7, mandate: 'acssMandate' },
    bacs_debit: { bank: ['sortCode'], account: 8, mandate: 'bacsMandate', address: true },
    au_becs_debit: { bank: ['bsb'], account: 5, mandate: 'becsMandate' },
    nz_bank_account: { bank: ['bankCode', 'branchCode'], account: 7, after: ['suffix'], mandate: 'nzMandate' },
  };
  // The digits each field takes, and the parameter it is sent as.
  var DEBIT_FIELDS = {
    institution: { length: 3, param: 'institution_number' }, transit: { length: 5, param: 'transit_number' },
    sortCode: { length: 6, param: 'sort_code' }, bsb: { length: 6, param: 'bsb_number' },
    bankCode: { length: 2, param: 'bank_code' }, branchCode: { length: 4, param: 'branch_code' },
    suffix: { length: 2, param: 'suffix' },
  };
  var BRANDS = { visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express', discover: 'Discover', jcb: 'JCB', diners: 'Diners Club', unionpay: 'UnionPay' };
  var REDIRECT = ['ideal', 'bancontact', 'sofort'];

  /* ------------------------------------------------------------ messaging */

  function emit(type, event) {
    send({ type: type, event: event || {} });
  }

  frame.listen(function (m) {
    switch (m.type) {
      case 'init':
        config = m.config;
        start();
        break;
      case 'update':
        Object.assign(config.options, m.options || {});
        render();
        break;
      case 'group-update':
        config.appearance = m.appearance || config.appearance;
        if (m.locale) config.locale = m.locale;
        t = TEXTS[config.locale] || TEXTS.en;
        applyAppearance();
        render();
        break;
      case 'focus':
        var first = root.querySelector('input, select, button');
        if (first) first.focus();
        break;
      case 'blur':
        if (document.activeElement) document.activeElement.blur();
        break;
      case 'clear':
        state.values = {};
        state.errors = {};
        state.link = { step: 'email' };
        render();
        break;
      case 'collapse':
        state.collapsed = true;
        render();
        break;
      case 'request':
        handleRequest(m.id, m.kind, m.payload || {});
        break;
    }
  });

  /* ---------------------------------------------------------------- API */

  function api(method, path, params) {
    var body = Object.keys(params || {})
      .filter(function (k) { return params[k] !== undefined && params[k] !== null && params[k] !== ''; })
      .map(function (k) { return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]); })
      .join('&');
    return fetch(path + (method === 'GET' ? '?' + body : ''), {
      method: method,
      headers: { Authorization: 'Bearer ' + config.publishableKey, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: method === 'GET' ? undefined : body,
    }).then(function (res) {
      return res.json().then(function (json) {
        return res.ok ? { data: json } : { error: json.error };
      });
    }, function (err) {
      return { error: { type: 'api_connection_error', message: String(err) } };
    });
  }

  function loadSession() {
    return api('GET', '/v1/elements/sessions', {
      client_secret: config.clientSecret,
      customer_session_client_secret: config.customerSessionClientSecret,
    });
  }

  /* --------------------------------------------------------------- start */

  function start() {
    t = TEXTS[config.locale] || TEXTS.en;
    document.documentElement.lang = config.locale;
    applyAppearance();
    frame.observeSize();
    loadSession().then(function (r) {
      if (r.error) {
        root.setAttribute('aria-busy', 'false');
        root.innerHTML = '';
        var p = el('p', { class: 'load-error', role: 'alert' }, r.error.message);
        root.appendChild(p);
        send({ type: 'loaderror', error: r.error });
        return;
      }
      session = r.data;
      var saved = savedMethods();
      var types = availableTypes();
      state = {
        selected: saved.length && !(config.options.defaultValues && config.options.defaultValues.paymentMethod === 'new') ? saved[0].id : 'new',
        type: types[0],
        values: defaults(),
        errors: {},
        save: false,
        collapsed: false,
        link: { step: 'email' },
      };
      render();
      // A wider or narrower frame fits more or fewer tabs, as Stripe's does.
      var fit = tabsThatFit();
      window.addEventListener('resize', function () {
        if (tabsThatFit() !== fit) { fit = tabsThatFit(); render(); }
      });
      root.setAttribute('aria-busy', 'false');
      send({ type: 'ready' });
      notifyChange();
    });
  }

  function defaults() {
    var d = (config.options.defaultValues && config.options.defaultValues.billingDetails) || {};
    var address = d.address || {};
    return {
      name: d.name || '',
      email: d.email || (session.customer && session.customer.email) || '',
      country: address.country || browserCountry(),
      zip: address.postal_code || '',
    };
  }

  /** The country of the browser's language (`fr-BE` → BE, `fr` → FR), as Stripe defaults it. */
  function browserCountry() {
    var tag = (navigator.languages && navigator.languages[0]) || navigator.language || 'en-US';
    var parts = tag.split('-');
    var region = parts[1] && parts[1].length === 2 ? parts[1].toUpperCase() : { fr: 'FR', de: 'DE', nl: 'NL', it: 'IT', es: 'ES' }[parts[0]] || 'US';
    return COUNTRIES.some(function (c) { return c[0] === region; }) ? region : 'US';
  }

  /** How many method tabs fit the frame's width (the rest go in the menu). */
  // Each tab as wide as its whole label (none cut off); those that do not
  // fit beside the "More" menu go in it.
  function tabsThatFit() {
    var width = (document.documentElement.clientWidth || 400) - 4;
    var types = state ? availableTypes() : [];
    var ctx = document.createElement('canvas').getContext('2d');
    if (!ctx || !t) return Math.max(2, Math.floor((width - 72) / 110));
    ctx.font = '600 14px ' + getComputedStyle(document.body).fontFamily;
    // Label, padding, border and gap, with room for a wider fallback font.
    var tab = function (type) { return Math.ceil(ctx.measureText(t[type] || type).width * 1.1) + 34 + 8; };
    var all = types.reduce(function (sum, type) { return sum + tab(type); }, 0);
    if (all <= width) return types.length;
    var used = 96, n = 0;
    while (n < types.length && used + tab(types[n]) <= width) { used += tab(types[n]); n++; }
    return Math.max(1, n);
  }

  function fieldName(key) {
    return FIELD_NAMES[key] || key;
  }

  function savedMethods() {
    return (session.customer && session.customer.saved_payment_methods) || [];
  }

  function features() {
    return (session.customer && session.customer.features) || {};
  }

  function availableTypes() {
    var types = session.payment_method_types.slice();
    var order = config.options.paymentMethodOrder;
    if (order && order.length) {
      types.sort(function (a, b) {
        var ia = order.indexOf(a), ib = order.indexOf(b);
        return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
      });
    }
    var wallets = config.options.wallets || {};
    if (wallets.link === 'never') types = types.filter(function (x) { return x !== 'link'; });
    return types;
  }

  /* ---------------------------------------------------------- appearance */

  function applyAppearance() {
    frame.applyAppearance(config.appearance);
  }

  /* ------------------------------------------------------------ helpers */

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] === false || attrs[k] === undefined || attrs[k] === null) return;
      if (k.indexOf('on') === 0) node.addEventListener(k.slice(2), attrs[k]);
      else node.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function digits(s) {
    return String(s || '').replace(/\D/g, '');
  }

  function luhn(number) {
    var sum = 0;
    for (var i = 0; i < number.length; i++) {
      var d = +number[number.length - 1 - i];
      if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
      sum += d;
    }
    return number.length >= 12 && sum % 10 === 0;
  }

  function brandOf(number) {
    if (/^4/.test(number)) return 'visa';
    if (/^(5[1-5]|2[2-7])/.test(number)) return 'mastercard';
    if (/^3[47]/.test(number)) return 'amex';
    if (/^(6011|65)/.test(number)) return 'discover';
    if (/^35/.test(number)) return 'jcb';
    if (/^3[068]/.test(number)) return 'diners';
    if (/^62/.test(number)) return 'unionpay';
    return null;
  }

  /** The number grouped as the brand prints it: 4-6-5 (Amex), 4-6-4 (Diners, 14 digits), else fours. */
  function groupNumber(number) {
    var brand = brandOf(number);
    var d = number.slice(0, brand === 'amex' ? 15 : 19);
    var sizes = brand === 'amex' || (brand === 'diners' && d.length <= 14) ? [4, 6, 5] : [4, 4, 4, 4, 3];
    var parts = [], at = 0;
    sizes.forEach(function (n) { if (at < d.length) { parts.push(d.slice(at, at + n)); at += n; } });
    return parts.join(' ');
  }

  function ibanValid(iban) {
    if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
    var rearranged = iban.slice(4) + iban.slice(0, 4);
    var remainder = 0;
    for (var i = 0; i < rearranged.length; i++) {
      var c = rearranged[i];
      var n = c >= 'A' ? String(c.charCodeAt(0) - 55) : c;
      for (var j = 0; j < n.length; j++) remainder = (remainder * 10 + +n[j]) % 97;
    }
    return remainder === 1;
  }

  function describe(pm) {
    switch (pm.type) {
      case 'card':
        return { title: (BRANDS[pm.card.brand] || pm.card.brand) + ' •••• ' + pm.card.last4,
          sub: t.expires + ' ' + String(pm.card.exp_month).padStart(2, '0') + '/' + String(pm.card.exp_year).slice(-2) };
      case 'sepa_debit':
        return { title: t.sepa_debit + ' •••• ' + pm.sepa_debit.last4, sub: pm.billing_details.name || '' };
      case 'us_bank_account':
        return { title: pm.us_bank_account.bank_name + ' •••• ' + pm.us_bank_account.last4, sub: pm.billing_details.name || '' };
      case 'link':
        return { title: 'Link', sub: pm.link.email };
      case 'acss_debit':
      case 'nz_bank_account':
        return { title: pm[pm.type].bank_name + ' •••• ' + pm[pm.type].last4, sub: pm.billing_details.name || '' };
      case 'bacs_debit':
        return { title: t.bacs_debit + ' •••• ' + pm.bacs_debit.last4, sub: (pm.bacs_debit.sort_code || '').replace(/(\d\d)(?=\d)/g, '$1-') };
      case 'au_becs_debit':
        return { title: 'BSB ' + (pm.au_becs_debit.bsb_number || '').replace(/^(\d{3})/, '$1-') + ' •••• ' + pm.au_becs_debit.last4,
          sub: pm.billing_details.name || '' };
      default:
        return { title: pm.type, sub: '' };
    }
  }

  /* ------------------------------------------------------------- render */

  function render() {
    if (!state) return;
    var focused = document.activeElement && document.activeElement.id;
    root.innerHTML = '';
    root.appendChild(el('span', { class: 'test-badge' }, t.testMode));
    var saved = savedMethods();
    if (saved.length) {
      var fs = el('fieldset', {});
      fs.appendChild(el('legend', {}, t.saved));
      saved.forEach(function (pm) { fs.appendChild(savedRow(pm)); });
      var row = el('div', { class: 'saved-item' + (state.selected === 'new' ? ' selected' : '') });
      var radio = el('input', { type: 'radio', name: 'pm', id: 'pm-new', value: 'new', checked: state.selected === 'new' ? true : false,
        onchange: function () { state.selected = 'new'; state.collapsed = false; render(); notifyChange(); } });
      row.appendChild(radio);
      row.appendChild(el('label', { for: 'pm-new' }, t.newMethod));
      fs.appendChild(row);
      root.appendChild(fs);
    }
    if (state.selected === 'new' && !state.collapsed) root.appendChild(newMethodSection());
    if (focused) {
      var again = document.getElementById(focused);
      if (again) again.focus();
    }
    reportSize();
  }

  function savedRow(pm) {
    var d = describe(pm);
    var id = 'pm-' + pm.id;
    var row = el('div', { class: 'saved-item' + (state.selected === pm.id ? ' selected' : ''), 'data-payment-method': pm.id });
    row.appendChild(el('input', { type: 'radio', name: 'pm', id: id, value: pm.id, checked: state.selected === pm.id ? true : false,
      onchange: function () { state.selected = pm.id; render(); notifyChange(); } }));
    var label = el('label', { for: id });
    label.appendChild(el('span', {}, d.title));
    if (d.sub) label.appendChild(el('span', { class: 'sub' }, d.sub));
    row.appendChild(label);
    if (features().payment_method_remove === 'enabled' && !config.options.readOnly) {
      row.appendChild(el('button', { type: 'button', class: 'remove', 'aria-label': t.remove + ' ' + d.title,
        onclick: function () { state.removing = pm.id; render(); var yes = document.getElementById('remove-yes'); if (yes) yes.focus(); } }, t.remove));
    }
    if (state.removing !== pm.id) return row;
    // Stripe asks before removing: nothing is detached until confirmed.
    var wrap = el('div', { class: 'saved-group' });
    wrap.appendChild(row);
    var ask = el('div', { class: 'remove-confirm', role: 'group', 'aria-labelledby': 'remove-ask', 'data-testid': 'remove-confirm' });
    ask.appendChild(el('p', { id: 'remove-ask' }, t.removeAsk + ' ' + d.title));
    ask.appendChild(el('button', { type: 'button', id: 'remove-yes', class: 'danger', onclick: function () { state.removing = null; removeSaved(pm); } }, t.removeYes));
    ask.appendChild(el('button', { type: 'button', class: 'secondary', onclick: function () { state.removing = null; render(); } }, t.cancel));
    wrap.appendChild(ask);
    return wrap;
  }

  function newMethodSection() {
    var wrap = el('div', { class: 'new-method' });
    var types = availableTypes();
    var layout = config.options.layout;
    var accordion = layout === 'accordion' || (layout && layout.type === 'accordion');
    // As Stripe's: `.p-PaymentMethodSelector`, a tablist named "Payment
    // Methods" of `button#<type>-tab` (test id `<type>`), and the methods
    // that do not fit in a `select.p-AdditionalPaymentMethods-menu`.
    var selector = el('div', { class: 'p-PaymentMethodSelector' });
    var fit = accordion ? types.length : tabsThatFit();
    var shown = types.slice(0, fit);
    if (shown.indexOf(state.type) < 0) shown[shown.length - 1] = state.type;
    var others = types.filter(function (type) { return shown.indexOf(type) < 0; });
    var tabs = el('div', { class: 'tabs' + (accordion ? ' accordion' : ''), role: 'tablist', 'aria-label': t.methodList });
    var choose = function (type) { state.type = type; state.errors = {}; render(); notifyChange(); };
    shown.forEach(function (type) {
      tabs.appendChild(el('button', {
        type: 'button', class: 'tab p-PaymentMethodSelector-tab', role: 'tab', id: type + '-tab', 'data-testid': type,
        'aria-selected': String(state.type === type), 'aria-controls': 'panel', 'data-type': type, tabindex: state.type === type ? '0' : '-1',
        onclick: function () { choose(type); },
        onkeydown: function (e) {
          var i = shown.indexOf(type);
          var next = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? shown[(i + 1) % shown.length]
            : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? shown[(i - 1 + shown.length) % shown.length] : null;
          if (next) { e.preventDefault(); choose(next); document.getElementById(next + '-tab').focus(); }
        },
      }, t[type] || type));
    });
    selector.appendChild(tabs);
    if (others.length) {
      var menu = el('select', { class: 'p-AdditionalPaymentMethods-menu', 'aria-label': t.more,
        onchange: function (e) { if (e.target.value) choose(e.target.value); } });
      menu.appendChild(el('option', { value: '' }, t.moreLabel + ' …'));
      others.forEach(function (type) { menu.appendChild(el('option', { value: type }, t[type] || type)); });
      selector.appendChild(menu);
    }
    wrap.appendChild(selector);
    var panel = el('div', { role: 'tabpanel', id: 'panel', 'aria-labelledby': state.type + '-tab' });
    fieldsFor(state.type).forEach(function (node) { panel.appendChild(node); });
    if (features().payment_method_save === 'enabled' && session.customer) {
      var save = el('label', { class: 'save' });
      save.appendChild(el('input', { type: 'checkbox', id: 'save', checked: state.save ? true : false,
        onchange: function (e) { state.save = e.target.checked; notifyChange(); } }));
      save.appendChild(el('span', {}, t.save));
      panel.appendChild(save);
    }
    if (state.type === 'sepa_debit' || (state.type === 'ideal' || state.type === 'bancontact' || state.type === 'sofort') && state.save) {
      panel.appendChild(el('p', { class: 'mandate' }, t.sepaMandate));
    }
    if (state.type === 'us_bank_account') panel.appendChild(el('p', { class: 'mandate' }, t.achMandate));
    if (DEBITS[state.type]) panel.appendChild(el('p', { class: 'mandate' }, t[DEBITS[state.type].mandate]));
    if (REDIRECT.indexOf(state.type) >= 0) panel.appendChild(el('p', { class: 'notice' }, t.redirectNotice));
    wrap.appendChild(panel);
    return wrap;
  }

  function input(key, label, attrs) {
    var field = el('div', { class: 'field' });
    var id = 'Field-' + fieldName(key) + 'Input';
    field.appendChild(el('label', { class: 'label', for: id }, label));
    var node = el('input', Object.assign({ id: id, name: fieldName(key), 'aria-invalid': state.errors[key] ? 'true' : 'false',
      'aria-describedby': state.errors[key] ? id + '-error' : null, readonly: config.options.readOnly ? true : null }, attrs || {}));
    node.value = state.values[key] || '';
    node.addEventListener('input', function (e) {
      var v = e.target.value;
      if (attrs && attrs['data-format'] === 'expiry') {
        var d = digits(v).slice(0, 4);
        v = d.length > 2 ? d.slice(0, 2) + ' / ' + d.slice(2) : d;
        e.target.value = v;
      }
      state.values[key] = v;
      if (state.errors[key]) { delete state.errors[key]; e.target.setAttribute('aria-invalid', 'false'); }
      if (key === 'number') {
        // Grouped as typed, the caret kept after the same digit.
        var caret = e.target.selectionStart === null ? v.length : e.target.selectionStart;
        var before = digits(v.slice(0, caret)).length;
        v = groupNumber(digits(v));
        e.target.value = v;
        var pos = 0, seen = 0;
        while (pos < v.length && seen < before) { if (/\d/.test(v[pos])) seen++; pos++; }
        if (e.target.setSelectionRange && document.activeElement === e.target) e.target.setSelectionRange(pos, pos);
        state.values[key] = v;
        var b = brandOf(digits(v));
        var brandNode = document.getElementById('brand');
        if (brandNode) { brandNode.textContent = b ? BRANDS[b] : ''; brandNode.setAttribute('data-brand', b || ''); }
      }
      notifyChange();
    });
    node.addEventListener('blur', function () { validateField(key); });
    field.appendChild(node);
    if (state.errors[key]) field.appendChild(el('div', { class: 'field-error', id: id + '-error', role: 'alert' }, state.errors[key].message));
    return field;
  }

  function select(key, label, options, placeholder) {
    var field = el('div', { class: 'field' });
    var id = 'Field-' + fieldName(key) + 'Input';
    field.appendChild(el('label', { class: 'label', for: id }, label));
    var node = el('select', { id: id, name: fieldName(key), 'aria-invalid': state.errors[key] ? 'true' : 'false' });
    if (placeholder) node.appendChild(el('option', { value: '' }, placeholder));
    options.forEach(function (o) {
      var opt = el('option', { value: o[0] }, o[1]);
      if (state.values[key] === o[0]) opt.selected = true;
      node.appendChild(opt);
    });
    if (!state.values[key] && !placeholder && options.length) state.values[key] = options[0][0];
    node.addEventListener('change', function (e) { state.values[key] = e.target.value; delete state.errors[key]; render(); notifyChange(); });
    field.appendChild(node);
    if (state.errors[key]) field.appendChild(el('div', { class: 'field-error', role: 'alert' }, state.errors[key].message));
    return field;
  }

  function fieldsFor(type) {
    switch (type) {
      case 'card':
        // The brand sits inside the number's field, at its end, as Stripe's does.
        var number = input('number', t.cardNumber, { inputmode: 'numeric', autocomplete: 'cc-number', placeholder: '1234 1234 1234 1234' });
        number.classList.add('with-brand');
        var shown = brandOf(digits(state.values.number));
        number.insertBefore(el('span', { class: 'brand', id: 'brand', 'aria-live': 'polite', 'data-brand': shown || '' }, BRANDS[shown] || ''),
          number.querySelector('input').nextSibling);
        var nodes = [number];
        var row = el('div', { class: 'row' });
        row.appendChild(input('expiry', t.expiry, { inputmode: 'numeric', autocomplete: 'cc-exp', placeholder: 'MM / YY', 'data-format': 'expiry' }));
        row.appendChild(input('cvc', t.cvc, { inputmode: 'numeric', autocomplete: 'cc-csc', placeholder: 'CVC' }));
        nodes.push(row);
        var row2 = el('div', { class: 'row' });
        row2.appendChild(select('country', t.country, COUNTRIES));
        if (POSTAL_CODE_COUNTRIES.indexOf(state.values.country) >= 0) {
          row2.appendChild(input('zip', state.values.country === 'US' ? t.zip : t.postal,
            { autocomplete: 'postal-code', placeholder: state.values.country === 'US' ? '12345' : '' }));
        }
        nodes.push(row2);
        return nodes;
      case 'sepa_debit':
        return [input('name', t.fullName, { autocomplete: 'name' }), input('email', t.email, { type: 'email', autocomplete: 'email' }),
          input('iban', t.iban, { placeholder: 'DE00 0000 0000 0000 0000 00', autocomplete: 'off' })];
      case 'us_bank_account':
        return [input('name', t.fullName, { autocomplete: 'name' }), input('routing', t.routing, { inputmode: 'numeric' }),
          input('account', t.account, { inputmode: 'numeric' })];
      case 'link':
        return linkFields();
      case 'ideal':
        return [select('bank', t.bank, IDEAL_BANKS, t.selectBank)];
      case 'bancontact':
        return [input('name', t.fullName, { autocomplete: 'name' })];
      case 'sofort':
        return [select('sofortCountry', t.country, SOFORT_COUNTRIES.map(function (c) { return [c, c]; }), null)];
      default:
        return DEBITS[type] ? debitFields(type) : [];
    }
  }

  // Name and e-mail (for the mandate), the bank's numbers, the account, and
  // for Bacs the holder's address.
  function debitFields(type) {
    var debit = DEBITS[type];
    var nodes = [input('name', t.fullName, { autocomplete: 'name' }), input('email', t.email, { type: 'email', autocomplete: 'email' })];
    var row = el('div', { class: 'row' });
    debit.bank.forEach(function (key) { row.appendChild(input(key, t[key], { inputmode: 'numeric', autocomplete: 'off' })); });
    nodes.push(row);
    nodes.push(input('account', t.account, { inputmode: 'numeric', autocomplete: 'off' }));
    (debit.after || []).forEach(function (key) { nodes.push(input(key, t[key], { inputmode: 'numeric', autocomplete: 'off' })); });
    if (debit.address) {
      nodes.push(input('line1', t.line1, { autocomplete: 'address-line1' }));
      var place = el('div', { class: 'row' });
      place.appendChild(input('city', t.city, { autocomplete: 'address-level2' }));
      place.appendChild(input('postal', t.postal, { autocomplete: 'postal-code' }));
      nodes.push(place);
    }
    return nodes;
  }

  function linkFields() {
    var step = el('div', { class: 'link-step' });
    if (state.link.step === 'email') {
      step.appendChild(input('email', t.email, { type: 'email', autocomplete: 'email' }));
      step.appendChild(el('button', { type: 'button', onclick: function () {
        if (!validateField('email')) return;
        state.link = { step: 'code', email: state.values.email };
        render();
        notifyChange();
        var code = document.getElementById('Field-linkOtpInput');
        if (code) code.focus();
      } }, t.linkSend));
    } else if (state.link.step === 'code') {
      step.appendChild(el('p', { class: 'notice' }, t.linkSent + ' ' + state.link.email));
      var field = input('code', t.linkCode, { inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6' });
      step.appendChild(field);
      var codeInput = field.querySelector('input');
      codeInput.addEventListener('input', function (e) {
        var code = digits(e.target.value);
        if (code.length !== 6) return;
        var errors = { '000001': 'The code you entered is incorrect.', '000002': 'The code has expired. Request a new one.', '000003': 'Too many attempts. Request a new code later.' };
        if (errors[code]) {
          state.errors.code = { code: 'link_code_invalid', message: errors[code] };
          state.values.code = '';
          render();
        } else {
          state.link = { step: 'verified', email: state.link.email };
          render();
        }
        notifyChange();
      });
    } else {
      step.appendChild(el('p', { class: 'notice', 'data-link-verified': 'true' }, t.linkVerified + ' ' + state.link.email));
    }
    return [step];
  }

  /* ---------------------------------------------------------- validation */

  function fieldsOf(type) {
    return {
      card: ['number', 'expiry', 'cvc'].concat(POSTAL_CODE_COUNTRIES.indexOf(state.values.country) >= 0 ? ['zip'] : []),
      sepa_debit: ['name', 'email', 'iban'],
      us_bank_account: ['name', 'routing', 'account'],
      link: ['link'],
      ideal: ['bank'],
      bancontact: ['name'],
      sofort: ['sofortCountry'],
    }[type] || (DEBITS[type] ? debitFieldKeys(type) : []);
  }

  function debitFieldKeys(type) {
    var debit = DEBITS[type];
    return ['name', 'email'].concat(debit.bank, ['account'], debit.after || [], debit.address ? ['line1', 'city', 'postal'] : []);
  }

  function check(key) {
    var v = state.values[key] || '';
    var d = digits(v);
    switch (key) {
      case 'number':
        if (d.length < 13) return 'incomplete_number';
        if (!luhn(d)) return 'invalid_number';
        return null;
      case 'expiry':
        if (d.length < 4) return 'incomplete_expiry';
        var month = +d.slice(0, 2), year = 2000 + +d.slice(2, 4);
        if (month < 1 || month > 12) return 'invalid_expiry_month';
        var now = new Date();
        if (year < now.getFullYear() || (year === now.getFullYear() && month < now.getMonth() + 1)) return 'invalid_expiry_year_past';
        return null;
      case 'cvc':
        var want = brandOf(digits(state.values.number)) === 'amex' ? 4 : 3;
        return d.length < want ? 'incomplete_cvc' : null;
      case 'zip':
        return (state.values.country === 'US' ? d.length < 5 : v.trim().length < 3) ? 'incomplete_zip' : null;
      case 'name':
        return v.trim().length < 2 ? 'incomplete_name' : null;
      case 'email':
        if (!v.trim()) return 'incomplete_email';
        return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v.trim()) ? null : 'invalid_email';
      case 'iban':
        var iban = v.replace(/\s/g, '').toUpperCase();
        if (iban.length < 15) return 'incomplete_iban';
        return ibanValid(iban) ? null : 'invalid_iban';
      case 'routing':
        return d.length !== 9 ? 'incomplete_routing' : null;
      case 'account':
        return d.length < (DEBITS[state.type] ? DEBITS[state.type].account : 4) ? 'incomplete_account' : null;
      case 'institution':
      case 'transit':
      case 'sortCode':
      case 'bsb':
      case 'bankCode':
      case 'branchCode':
      case 'suffix':
        return d.length < DEBIT_FIELDS[key].length ? 'incomplete_' + DEBIT_FIELDS[key].param.replace(/_number$/, '') : null;
      case 'line1':
        return v.trim().length < 3 ? 'incomplete_line1' : null;
      case 'postal':
        return v.trim().length < 3 ? 'incomplete_zip' : null;
      case 'city':
        return v.trim().length < 2 ? 'incomplete_city' : null;
      case 'bank':
        return v ? null : 'incomplete_bank';
      case 'sofortCountry':
        return v ? null : 'incomplete_country';
      case 'link':
        return state.link.step === 'verified' ? null : 'link_unverified';
    }
    return null;
  }

  function validateField(key) {
    var code = check(key);
    if (code && (state.values[key] || '').length) {
      state.errors[key] = { code: code, message: t.e[code] };
      render();
      return false;
    }
    return !code;
  }

  /** The first error of the selected method, or null; marks every bad field. */
  function validate() {
    if (state.selected !== 'new') return null;
    var first = null;
    fieldsOf(state.type).forEach(function (key) {
      var code = check(key);
      if (code) {
        state.errors[key] = { code: code, message: t.e[code] };
        if (!first) first = { type: 'validation_error', code: code, message: t.e[code], param: key };
      }
    });
    render();
    return first;
  }

  function isComplete() {
    if (state.selected !== 'new') return true;
    return fieldsOf(state.type).every(function (key) { return !check(key); });
  }

  function isEmpty() {
    if (state.selected !== 'new') return false;
    return !Object.keys(state.values).some(function (k) {
      return ['name', 'email', 'country'].indexOf(k) < 0 && state.values[k];
    });
  }

  function notifyChange() {
    var value;
    if (state.selected !== 'new') {
      var pm = savedMethods().filter(function (m) { return m.id === state.selected; })[0];
      value = { type: pm.type, payment_method: { id: pm.id, type: pm.type, billing_details: pm.billing_details } };
    } else {
      value = { type: state.type };
      if (features().payment_method_save === 'enabled') value.savePaymentMethod = state.save;
    }
    send({ type: 'change', event: { empty: isEmpty(), complete: isComplete(), collapsed: state.collapsed, value: value } });
  }

  /* ------------------------------------------------- payment method data */

  function creationParams(extraBilling) {
    var v = state.values;
    var p = { type: state.type };
    var billing = Object.assign({}, extraBilling || {});
    switch (state.type) {
      case 'card':
        var exp = digits(v.expiry);
        p['card[number]'] = digits(v.number);
        p['card[exp_month]'] = exp.slice(0, 2);
        p['card[exp_year]'] = '20' + exp.slice(2, 4);
        p['card[cvc]'] = digits(v.cvc);
        p['billing_details[address][country]'] = v.country;
        if (POSTAL_CODE_COUNTRIES.indexOf(v.country) >= 0) p['billing_details[address][postal_code]'] = v.zip;
        break;
      case 'sepa_debit':
        p['sepa_debit[iban]'] = v.iban.replace(/\s/g, '').toUpperCase();
        billing.name = billing.name || v.name;
        billing.email = billing.email || v.email;
        break;
      case 'us_bank_account':
        p['us_bank_account[routing_number]'] = digits(v.routing);
        p['us_bank_account[account_number]'] = digits(v.account);
        p['us_bank_account[account_holder_type]'] = 'individual';
        billing.name = billing.name || v.name;
        break;
      case 'link':
        billing.email = state.link.email;
        break;
      case 'ideal':
        p['ideal[bank]'] = v.bank;
        break;
      case 'bancontact':
        billing.name = billing.name || v.name;
        break;
      case 'sofort':
        p['sofort[country]'] = v.sofortCountry;
        break;
      default:
        if (!DEBITS[state.type]) break;
        debitFieldKeys(state.type).forEach(function (key) {
          if (DEBIT_FIELDS[key]) p[state.type + '[' + DEBIT_FIELDS[key].param + ']'] = digits(v[key]);
        });
        p[state.type + '[account_number]'] = digits(v.account);
        billing.name = billing.name || v.name;
        billing.email = billing.email || v.email;
        if (DEBITS[state.type].address) {
          billing.address = Object.assign({ line1: v.line1, city: v.city, postal_code: v.postal, country: 'GB' }, billing.address || {});
        }
    }
    ['name', 'email', 'phone'].forEach(function (k) {
      if (billing[k]) p['billing_details[' + k + ']'] = billing[k];
    });
    if (billing.address) {
      Object.keys(billing.address).forEach(function (k) {
        if (billing.address[k]) p['billing_details[address][' + k + ']'] = billing.address[k];
      });
    }
    if (state.save && features().payment_method_save === 'enabled') p.allow_redisplay = 'always';
    return p;
  }

  function handleRequest(id, kind, payload) {
    var respond = function (result) { send({ type: 'response', id: id, result: result }); };
    if (!state) return respond({ error: { type: 'invalid_request_error', message: 'The Payment Element has not loaded.' } });
    if (kind === 'refresh') {
      loadSession().then(function (r) {
        if (!r.error) { session = r.data; render(); notifyChange(); }
        respond(r.error ? { error: r.error } : {});
      });
      return;
    }
    var error = validate();
    if (error) return respond({ error: error });
    if (kind === 'validate') {
      return respond({ type: state.selected === 'new' ? state.type : savedMethods().filter(function (m) { return m.id === state.selected; })[0].type });
    }
    if (kind === 'collect') {
      if (state.selected !== 'new') {
        var saved = savedMethods().filter(function (m) { return m.id === state.selected; })[0];
        return respond({ payment_method: state.selected, object: saved || null });
      }
      api('POST', '/v1/payment_methods', creationParams(payload.billing_details)).then(function (r) {
        if (r.error) return respond({ error: r.error });
        var save = !!state.save && features().payment_method_save === 'enabled';
        respond({ payment_method: r.data.id, type: r.data.type, object: r.data, save: save,
          setup_future_usage: save ? (features().payment_method_save_usage || 'off_session') : null });
      });
    }
  }

  function removeSaved(pm) {
    api('POST', '/v1/elements/saved_payment_methods/' + encodeURIComponent(pm.id) + '/detach', {
      customer_session_client_secret: config.customerSessionClientSecret,
    }).then(function (r) {
      var event = { success: !r.error, payment_method: { id: pm.id, type: pm.type, billing_details: pm.billing_details } };
      if (r.error) event.error = r.error;
      if (!r.error) {
        session.customer.saved_payment_methods = savedMethods().filter(function (m) { return m.id !== pm.id; });
        if (state.selected === pm.id) state.selected = savedMethods().length ? savedMethods()[0].id : 'new';
        render();
        notifyChange();
      }
      send({ type: 'savedpaymentmethodremove', event: event });
    });
  }

  /* ------------------------------------------------------------- events */

  document.addEventListener('focusin', function () { send({ type: 'focus', event: {} }); });
  document.addEventListener('focusout', function (e) {
    if (!e.relatedTarget) send({ type: 'blur', event: {} });
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') send({ type: 'escape', event: {} });
  });
})();
