/*
 * The Link Authentication Element of the Stripe.js stand-in
 * (`elements.create('linkAuthentication', {defaultValues: {email}})`): the
 * customer's e-mail, in an iframe from the emulator's origin like the other
 * elements, reporting `ready`, `change` ({empty, complete, value: {email}}),
 * `focus` and `blur` to the page's stripe.js by postMessage. Stripe's own
 * element also signs the customer in to Link; the stand-in only collects
 * the address (Link itself is the Payment Element's `link` tab).
 */
(function () {
  'use strict';

  var channel = decodeURIComponent(location.hash.slice(1));
  var root = document.getElementById('root');
  var parentOrigin = null;
  var config = null;
  var TEXTS = { en: { email: 'Email' }, fr: { email: 'E-mail' } };

  function send(message) {
    if (!parentOrigin) return;
    message.channel = channel;
    parent.postMessage(message, parentOrigin);
  }

  function reportSize() {
    var style = getComputedStyle(document.body);
    send({ type: 'resize', height: document.body.getBoundingClientRect().height + parseFloat(style.marginTop) + parseFloat(style.marginBottom) });
  }

  function applyAppearance() {
    var a = config.appearance || {};
    document.body.className = 'theme-' + (a.theme || 'stripe');
    var v = a.variables || {};
    var map = { colorPrimary: '--color-primary', colorBackground: '--color-background', colorText: '--color-text',
      colorDanger: '--color-danger', fontFamily: '--font-family', borderRadius: '--border-radius', spacingUnit: '--spacing' };
    Object.keys(map).forEach(function (k) {
      if (v[k]) document.documentElement.style.setProperty(map[k], v[k]);
    });
  }

  function changeEvent(input) {
    var email = input.value.trim();
    return { empty: email === '', complete: /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email), value: { email: email } };
  }

  function render() {
    var t = TEXTS[config.locale] || TEXTS.en;
    root.removeAttribute('aria-busy');
    root.textContent = '';
    var label = document.createElement('label');
    label.className = 'label';
    label.htmlFor = 'Field-linkAuthenticationEmailInput';
    label.textContent = t.email;
    var input = document.createElement('input');
    input.id = 'Field-linkAuthenticationEmailInput';
    input.name = 'email';
    input.type = 'email';
    input.autocomplete = 'email';
    input.className = 'input';
    var defaults = (config.options && config.options.defaultValues) || {};
    input.value = defaults.email || '';
    input.addEventListener('input', function () { send({ type: 'change', event: changeEvent(input) }); });
    input.addEventListener('focus', function () { send({ type: 'focus' }); });
    input.addEventListener('blur', function () { send({ type: 'blur' }); });
    var field = document.createElement('div');
    field.className = 'field';
    field.appendChild(label);
    field.appendChild(input);
    root.appendChild(field);
    reportSize();
    if (input.value) send({ type: 'change', event: changeEvent(input) });
  }

  window.addEventListener('message', function (event) {
    var m = event.data;
    if (!m || m.channel !== channel || m.source !== 'stripe-emulator-parent') return;
    if (parentOrigin && event.origin !== parentOrigin) return;
    switch (m.type) {
      case 'init':
        parentOrigin = event.origin;
        config = m.config;
        document.documentElement.lang = config.locale;
        applyAppearance();
        render();
        send({ type: 'ready' });
        break;
      case 'update':
        Object.assign(config.options, m.options || {});
        render();
        break;
      case 'focus':
        var input = document.querySelector('input');
        if (input) input.focus();
        break;
      case 'blur':
        if (document.activeElement) document.activeElement.blur();
        break;
    }
  });
})();
