/*
 * What every element frame of the Stripe.js stand-in shares, loaded before
 * the frame's own script: the channel to the page's stripe.js (messages
 * only from, and to, the page that sent `init`), the page's `appearance`,
 * and the frame's height.
 */
(function () {
  'use strict';

  var channel = decodeURIComponent(location.hash.slice(1));
  var parentOrigin = null;

  function send(message) {
    if (!parentOrigin) return;
    message.channel = channel;
    parent.postMessage(message, parentOrigin);
  }

  // `handle(message)` for each message on this frame's channel. The first
  // `init` fixes the page's origin; later messages must come from it.
  function listen(handle) {
    window.addEventListener('message', function (event) {
      var m = event.data;
      if (!m || m.channel !== channel || m.source !== 'stripe-emulator-parent') return;
      if (parentOrigin && event.origin !== parentOrigin) return;
      if (m.type === 'init') parentOrigin = event.origin;
      handle(m);
    });
  }

  var VARIABLES = { colorPrimary: '--color-primary', colorBackground: '--color-background', colorText: '--color-text',
    colorDanger: '--color-danger', fontFamily: '--font-family', borderRadius: '--border-radius', spacingUnit: '--spacing' };

  // On the body, whose theme class sets the same variables: its inline
  // style wins over the class, as the page's variables win over Stripe's theme.
  function applyAppearance(appearance) {
    var a = appearance || {};
    document.body.className = 'theme-' + (a.theme || 'stripe');
    var v = a.variables || {};
    Object.keys(VARIABLES).forEach(function (k) {
      if (v[k]) document.body.style.setProperty(VARIABLES[k], v[k]);
    });
  }

  // The body's own height, not the document's scrollHeight: that never
  // drops below the frame's current height, so the frame would keep the
  // space of something removed.
  function reportSize() {
    if (!parentOrigin || !document.body) return;
    var style = getComputedStyle(document.body);
    var height = document.body.getBoundingClientRect().height + parseFloat(style.marginTop) + parseFloat(style.marginBottom);
    send({ type: 'resize', height: height });
  }

  // A ResizeObserver for what changes size by itself (fonts, a wider
  // frame); frames also report after each render, because Chromium does not
  // run the observers of a cross-origin frame below the fold (it throttles
  // its rendering), which would leave the frame at its first, loading height.
  function observeSize() {
    if (window.ResizeObserver) new ResizeObserver(reportSize).observe(document.body);
    reportSize();
  }

  window.StripeEmulatorFrame = {
    listen: listen,
    send: send,
    applyAppearance: applyAppearance,
    reportSize: reportSize,
    observeSize: observeSize,
  };
})();
