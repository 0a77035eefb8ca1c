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

  var frame = window.StripeEmulatorFrame;
  var send = frame.send;
  var root = document.getElementById('root');
  var config = null;
  var TEXTS = { en: { email: 'Email' }, fr: { email: 'E-mail' } };

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
    frame.reportSize();
    if (input.value) send({ type: 'change', event: changeEvent(input) });
  }

  frame.listen(function (m) {
    switch (m.type) {
      case 'init':
        config = m.config;
        document.documentElement.lang = config.locale;
        frame.applyAppearance(config.appearance);
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
