/*
 * The Address Element of the Stripe.js stand-in (`elements.create('address',
 * {mode})`). Runs inside an iframe served from the emulator's origin, like
 * the Payment Element, and talks to the page's stripe.js by postMessage:
 * `ready`, `change` (with Stripe's event: elementMode, empty, complete,
 * isNewAddress, value) and answers to `getValue` and `validate`. Fields
 * carry Stripe's ids (`#Field-<name>Input`), names and autocomplete tokens.
 * With `contacts` (saved addresses), the element starts compact: the first
 * contact is selected and shown as a card with "Edit", the others below it,
 * and "+ Add new address" opens the empty form.
 */
(function () {
  'use strict';

  var frame = window.StripeEmulatorFrame;
  var send = frame.send;
  var reportSize = frame.reportSize;
  var root = document.getElementById('root');
  var config = null;
  var t = null;
  var values = {};
  var errors = {};
  var initial = null;
  // With contacts: the selected one's index, and whether its form is open
  // (editing it, or a new address when `selected` is -1).
  var selected = -1;
  var editing = false;

  var TEXTS = {
    en: {
      name: 'Full name', country: 'Country or region', line1: 'Address line 1', line2: 'Address line 2',
      city: 'City', postal: 'Postal code', zip: 'ZIP', state: 'State', phone: 'Phone number', optional: 'optional',
      e: {
        name: 'Your full name is incomplete.', line1: 'Your address is incomplete.', city: 'Your city is incomplete.',
        postal: 'Your postal code is incomplete.', state: 'Your state is incomplete.', phone: 'Your phone number is incomplete.',
        incomplete: 'Your address is incomplete.',
      },
      edit: 'Edit', addNew: '+ Add new address', useSaved: 'Use a saved address', saved: 'Saved addresses',
    },
    fr: {
      name: 'Nom complet', country: 'Pays ou région', line1: 'Ligne d\'adresse n° 1', line2: 'Ligne d\'adresse n° 2',
      city: 'Ville', postal: 'Code postal', zip: 'Code postal', state: 'État', phone: 'Numéro de téléphone', optional: 'facultatif',
      e: {
        name: 'Votre nom complet est incomplet.', line1: 'Votre adresse est incomplète.', city: 'Votre ville est incomplète.',
        postal: 'Votre code postal est incomplet.', state: 'Votre État est incomplet.', phone: 'Votre numéro de téléphone est incomplet.',
        incomplete: 'Votre adresse est incomplète.',
      },
      edit: 'Modifier', addNew: '+ Ajouter une nouvelle adresse', useSaved: 'Utiliser une adresse enregistrée',
      saved: 'Adresses enregistrées',
    },
  };

  // The countries Stripe's element lists, by name in each language; the
  // page narrows them with `allowedCountries`.
  var COUNTRIES = {
    AT: ['Austria', 'Autriche'], AU: ['Australia', 'Australie'], BE: ['Belgium', 'Belgique'], CA: ['Canada', 'Canada'],
    CH: ['Switzerland', 'Suisse'],
    DE: ['Germany', 'Allemagne'], ES: ['Spain', 'Espagne'], FI: ['Finland', 'Finlande'], FR: ['France', 'France'],
    GB: ['United Kingdom', 'Royaume-Uni'], IE: ['Ireland', 'Irlande'], IT: ['Italy', 'Italie'], LU: ['Luxembourg', 'Luxembourg'],
    NL: ['Netherlands', 'Pays-Bas'], NZ: ['New Zealand', 'Nouvelle-Zélande'], PT: ['Portugal', 'Portugal'],
    US: ['United States', 'États-Unis'],
  };
  // Where the element asks for a state or province.
  var STATE_COUNTRIES = ['US', 'CA'];
  var ZIP_COUNTRIES = ['US'];
  var FIELD_NAMES = { name: 'name', country: 'country', line1: 'addressLine1', line2: 'addressLine2', city: 'locality',
    postal: 'postalCode', state: 'administrativeArea', phone: 'phoneNumber' };
  var AUTOCOMPLETE = { name: 'name', country: 'country', line1: 'address-line1', line2: 'address-line2', city: 'address-level2',
    postal: 'postal-code', state: 'address-level1', phone: 'tel' };

  frame.listen(function (m) {
    switch (m.type) {
      case 'init':
        config = m.config;
        t = TEXTS[config.locale] || TEXTS.en;
        document.documentElement.lang = config.locale;
        frame.applyAppearance(config.appearance);
        if (contacts().length) {
          selected = 0;
          prefill(contacts()[0]);
        } else {
          prefill(config.options.defaultValues || {});
        }
        render();
        frame.observeSize();
        send({ type: 'ready' });
        break;
      case 'update':
        Object.assign(config.options, m.options || {});
        render();
        break;
      case 'focus':
        var first = document.querySelector('input, select');
        if (first) first.focus();
        break;
      case 'request':
        var result = m.kind === 'getValue' || m.kind === 'validate' ? check() : { error: { message: 'Unknown request' } };
        send({ type: 'response', id: m.id, result: result });
        break;
    }
  });

  function allowed() {
    var list = config.options.allowedCountries;
    var codes = list && list.length ? list.map(function (c) { return String(c).toUpperCase(); }) : Object.keys(COUNTRIES);
    return codes.filter(function (c) { return COUNTRIES[c]; });
  }

  function prefill(d) {
    var a = d.address || {};
    values = {
      name: d.name || '', country: (a.country || '').toUpperCase(), line1: a.line1 || '', line2: a.line2 || '',
      city: a.city || '', postal: a.postal_code || '', state: a.state || '', phone: d.phone || '',
    };
    var countries = allowed();
    if (countries.indexOf(values.country) < 0) values.country = countries[0] || '';
    initial = JSON.stringify(values);
  }

  // Only contacts in a country the element offers can be selected.
  function contacts() {
    var list = config.options.contacts || [];
    var countries = allowed();
    return list.filter(function (c) {
      return c && c.address && countries.indexOf(String(c.address.country || '').toUpperCase()) >= 0;
    });
  }

  // Selects contact `index` (-1: a new address, empty but for the country);
  // `edit` opens its form, with the focus on the name.
  function choose(index, edit) {
    selected = index;
    editing = !!edit;
    errors = {};
    if (index >= 0) prefill(contacts()[index]);
    else prefill({ address: { country: values.country } });
    render();
    send({ type: 'change', event: event() });
    if (edit) focusName();
  }

  // "Edit": the selected contact's form.
  function openForm() {
    editing = true;
    render();
    focusName();
  }

  function focusName() {
    var name = document.getElementById('Field-nameInput');
    if (name) name.focus();
  }

  function phoneShown() {
    var f = config.options.fields || {};
    return f.phone === 'always';
  }

  function phoneRequired() {
    var v = config.options.validation || {};
    return !!(v.phone && v.phone.required === 'always');
  }

  function required() {
    var keys = ['name', 'line1', 'city', 'postal'];
    if (STATE_COUNTRIES.indexOf(values.country) >= 0) keys.push('state');
    if (phoneShown() && phoneRequired()) keys.push('phone');
    return keys;
  }

  function value() {
    var v = {
      name: values.name.trim(),
      address: {
        line1: values.line1.trim(), line2: values.line2.trim() || null, city: values.city.trim(),
        state: STATE_COUNTRIES.indexOf(values.country) >= 0 ? values.state.trim() : '',
        postal_code: values.postal.trim(), country: values.country,
      },
    };
    if (phoneShown()) v.phone = values.phone.trim();
    return v;
  }

  function complete() {
    return required().every(function (k) { return values[k].trim() !== ''; });
  }

  function event() {
    var empty = ['name', 'line1', 'line2', 'city', 'postal', 'state', 'phone'].every(function (k) { return !values[k].trim(); });
    return {
      elementMode: config.options.mode, empty: empty, complete: complete(),
      isNewAddress: JSON.stringify(values) !== initial, value: value(),
    };
  }

  // Shows every missing field's error, as Stripe's element does on submit.
  function check() {
    errors = {};
    required().forEach(function (k) {
      if (!values[k].trim()) errors[k] = t.e[k];
    });
    render();
    var e = event();
    if (!e.complete) {
      return { complete: false, isNewAddress: e.isNewAddress, value: e.value, error: { type: 'validation_error', code: 'incomplete_address', message: t.e.incomplete } };
    }
    return { complete: true, isNewAddress: e.isNewAddress, value: e.value };
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] === false || attrs[k] === undefined || attrs[k] === null) return;
      node.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function section(key) {
    return (config.options.mode === 'billing' ? 'billing ' : 'shipping ') + AUTOCOMPLETE[key];
  }

  function field(key, label, optional) {
    var wrap = el('div', { class: 'field' });
    var id = 'Field-' + FIELD_NAMES[key] + 'Input';
    wrap.appendChild(el('label', { class: 'label', for: id }, optional ? label + ' (' + t.optional + ')' : label));
    var input = el('input', {
      id: id, name: FIELD_NAMES[key], autocomplete: section(key), 'aria-invalid': errors[key] ? 'true' : 'false',
      'aria-describedby': errors[key] ? id + '-error' : null, type: key === 'phone' ? 'tel' : 'text',
    });
    input.value = values[key];
    input.addEventListener('input', function (e) {
      values[key] = e.target.value;
      if (errors[key]) { delete errors[key]; e.target.setAttribute('aria-invalid', 'false'); }
      send({ type: 'change', event: event() });
    });
    input.addEventListener('focus', function () { send({ type: 'focus' }); });
    input.addEventListener('blur', function () { send({ type: 'blur' }); });
    wrap.appendChild(input);
    if (errors[key]) wrap.appendChild(el('div', { class: 'field-error', id: id + '-error', role: 'alert' }, errors[key]));
    return wrap;
  }

  function countryField() {
    var wrap = el('div', { class: 'field' });
    wrap.appendChild(el('label', { class: 'label', for: 'Field-countryInput' }, t.country));
    var select = el('select', { id: 'Field-countryInput', name: 'country', autocomplete: section('country') });
    var lang = config.locale === 'fr' ? 1 : 0;
    allowed().forEach(function (code) {
      var option = el('option', { value: code }, COUNTRIES[code][lang]);
      if (code === values.country) option.selected = true;
      select.appendChild(option);
    });
    select.addEventListener('change', function (e) {
      values.country = e.target.value;
      render();
      send({ type: 'change', event: event() });
      var again = document.getElementById('Field-countryInput');
      if (again) again.focus();
    });
    wrap.appendChild(select);
    return wrap;
  }

  // One line of a contact's address, as the card shows it.
  function summary(c) {
    var a = c.address;
    var lang = config.locale === 'fr' ? 1 : 0;
    var country = COUNTRIES[String(a.country).toUpperCase()];
    var place = STATE_COUNTRIES.indexOf(String(a.country).toUpperCase()) >= 0
      ? [a.city, [a.state, a.postal_code].filter(Boolean).join(' ')].filter(Boolean).join(', ')
      : [a.postal_code, a.city].filter(Boolean).join(' ');
    return [a.line1, a.line2, place, country ? country[lang] : a.country].filter(Boolean).join(', ');
  }

  function renderContacts() {
    var list = el('div', { class: 'contacts', role: 'radiogroup', 'aria-label': t.saved });
    contacts().forEach(function (c, i) {
      var on = i === selected;
      var card = el('div', { class: 'contact' + (on ? ' selected' : ''), 'data-testid': 'address-contact' });
      var id = 'contact-' + i;
      var radio = el('input', { type: 'radio', name: 'contact', id: id, checked: on });
      radio.addEventListener('change', function () { choose(i); });
      card.appendChild(radio);
      var label = el('label', { for: id, class: 'contact-text' });
      label.appendChild(el('span', { class: 'contact-name' }, c.name || ''));
      label.appendChild(el('span', { class: 'contact-address' }, summary(c)));
      card.appendChild(label);
      if (on) {
        var edit = el('button', { type: 'button', class: 'link-button', 'data-testid': 'address-contact-edit' }, t.edit);
        edit.addEventListener('click', openForm);
        card.appendChild(edit);
      }
      list.appendChild(card);
    });
    root.appendChild(list);
    var add = el('button', { type: 'button', class: 'link-button add-address', 'data-testid': 'address-add-new' }, t.addNew);
    add.addEventListener('click', function () { choose(-1, true); });
    root.appendChild(add);
  }

  function render() {
    root.removeAttribute('aria-busy');
    root.textContent = '';
    if (contacts().length && !editing) {
      renderContacts();
      reportSize();
      return;
    }
    var form = el('div', { class: 'fields' });
    form.appendChild(field('name', t.name));
    form.appendChild(countryField());
    form.appendChild(field('line1', t.line1));
    form.appendChild(field('line2', t.line2, true));
    var row = el('div', { class: 'row' });
    row.appendChild(field('city', t.city));
    if (STATE_COUNTRIES.indexOf(values.country) >= 0) row.appendChild(field('state', t.state));
    row.appendChild(field('postal', ZIP_COUNTRIES.indexOf(values.country) >= 0 ? t.zip : t.postal));
    form.appendChild(row);
    if (phoneShown()) form.appendChild(field('phone', t.phone, !phoneRequired()));
    root.appendChild(form);
    if (contacts().length) {
      var back = el('button', { type: 'button', class: 'link-button', 'data-testid': 'address-use-saved' }, t.useSaved);
      back.addEventListener('click', function () { choose(Math.max(selected, 0)); });
      root.appendChild(back);
    }
    reportSize();
  }
})();
