/*
 * Stripe.js stand-in, served by the Stripe test-mode emulator at /v3/ and
 * /endive/stripe.js. It defines window.Stripe with the public surface of
 * Stripe.js (@stripe/stripe-js 10 types) and talks to the emulator that
 * served it. Raw payment details stay inside the Payment Element's iframe,
 * which is served from the emulator's origin.
 */
(function () {
  'use strict';
  if (window.Stripe && window.Stripe.__emulator) return;

  var script = document.currentScript;
  var ORIGIN = script ? new URL(script.src, location.href).origin : location.origin;
  // Filled in when served: the emulator's default API version (http.rs).
  var API_VERSION = '__API_VERSION__';
  var channelSeq = 0;
  // Stripe names its frames `__privateStripeFrame<number>`, unique per page.
  var frameSeq = 5000 + Math.floor(Math.random() * 1000);

  function IntegrationError(message) {
    var e = new Error(message);
    e.name = 'IntegrationError';
    return e;
  }

  function resolveLocale(locale) {
    if (!locale || locale === 'auto') locale = navigator.language || 'en';
    return String(locale).toLowerCase().indexOf('fr') === 0 ? 'fr' : 'en';
  }

  // Stripe.js gives an error's `message` in the locale given to Stripe() or
  // elements() (`auto`: the browser's); the API's own messages are English.
  // Keyed as Stripe keys them: the decline code first, then the code.
  var ERROR_MESSAGES = {
    fr: {
      card_declined: 'Votre carte a été refusée.',
      insufficient_funds: 'Votre carte ne dispose pas de fonds suffisants.',
      expired_card: 'Votre carte a expiré.',
      incorrect_cvc: 'Le code de sécurité de votre carte est incorrect.',
      processing_error: 'Une erreur est survenue lors du traitement de votre carte. Réessayez dans quelques instants.',
      incorrect_number: 'Votre numéro de carte est incorrect.',
      invalid_number: 'Votre numéro de carte n\'est pas valide.',
      invalid_expiry_month: 'Le mois d\'expiration de votre carte n\'est pas valide.',
      invalid_expiry_year: 'L\'année d\'expiration de votre carte n\'est pas valide.',
      invalid_cvc: 'Le code de sécurité de votre carte n\'est pas valide.',
      authentication_required: 'Votre carte a été refusée. Cette transaction nécessite une authentification.',
      payment_intent_authentication_failure: 'Nous ne parvenons pas à authentifier votre moyen de paiement. Veuillez choisir un autre moyen de paiement et réessayer.',
    },
  };

  // `{error}` results with the message in `locale` (others unchanged).
  function localized(locale) {
    var messages = ERROR_MESSAGES[resolveLocale(locale)];
    return function (result) {
      var error = result && result.error;
      if (!messages || !error || error.type === 'validation_error') return result;
      var message = messages[error.decline_code] || messages[error.code];
      // A decline without a sentence of its own reads as a plain decline.
      if (!message && error.code === 'card_declined') message = messages.card_declined;
      return message ? Object.assign({}, result, { error: Object.assign({}, error, { message: message }) }) : result;
    };
  }

  function piIdFromSecret(secret) {
    if (typeof secret !== 'string' || secret.indexOf('_secret_') < 0) return null;
    return secret.split('_secret_')[0];
  }

  function encode(params, prefix, out) {
    out = out || [];
    Object.keys(params).forEach(function (key) {
      var value = params[key];
      var name = prefix ? prefix + '[' + key + ']' : key;
      if (value === undefined || value === null) return;
      if (Array.isArray(value)) {
        value.forEach(function (v, i) {
          if (v !== null && typeof v === 'object') encode(v, name + '[' + i + ']', out);
          else out.push(encodeURIComponent(name + '[' + i + ']') + '=' + encodeURIComponent(String(v)));
        });
      } else if (typeof value === 'object') {
        encode(value, name, out);
      } else {
        out.push(encodeURIComponent(name) + '=' + encodeURIComponent(String(value)));
      }
    });
    return out.join('&');
  }

  function connectionError(err) {
    return {
      type: 'api_connection_error',
      message: 'We could not reach Stripe. Check your connection and try again. (' + (err && err.message) + ')',
    };
  }

  /* ---------------------------------------------------------------- API */

  function Api(key) {
    this.key = key;
  }
  Api.prototype.request = function (method, path, params) {
    var body = params ? encode(params) : '';
    var url = ORIGIN + path + (method === 'GET' && body ? '?' + body : '');
    return fetch(url, {
      method: method,
      headers: {
        Authorization: 'Bearer ' + this.key,
        'Content-Type': 'application/x-www-form-urlencoded',
        'Stripe-Version': API_VERSION,
      },
      body: method === 'GET' ? undefined : body,
    }).then(
      function (res) {
        return res.json().then(function (json) {
          return res.ok ? { data: json } : { error: json.error || { type: 'api_error', message: 'Unexpected response' } };
        });
      },
      function (err) {
        return { error: connectionError(err) };
      },
    );
  };

  /* ------------------------------------------------------- Event emitter */

  function Emitter() {
    this.handlers = {};
  }
  Emitter.prototype.on = function (event, handler) {
    (this.handlers[event] = this.handlers[event] || []).push({ fn: handler, once: false });
  };
  Emitter.prototype.once = function (event, handler) {
    (this.handlers[event] = this.handlers[event] || []).push({ fn: handler, once: true });
  };
  Emitter.prototype.off = function (event, handler) {
    if (!handler) delete this.handlers[event];
    else this.handlers[event] = (this.handlers[event] || []).filter(function (h) { return h.fn !== handler; });
  };
  Emitter.prototype.emit = function (event, payload) {
    var list = (this.handlers[event] || []).slice();
    this.handlers[event] = (this.handlers[event] || []).filter(function (h) { return !h.once; });
    list.forEach(function (h) {
      try { h.fn(payload); } catch (e) { setTimeout(function () { throw e; }); }
    });
  };

  /* ----------------------------------------------------- Payment Element */

  var ELEMENT_EVENTS = ['ready', 'change', 'focus', 'blur', 'escape', 'loaderstart', 'loaderror',
    'savedpaymentmethodremove', 'savedpaymentmethodupdate', 'carddetailschange', 'availablepaymentmethodschange'];

  function PaymentElement(group, options) {
    this._group = group;
    this._options = options || {};
    this._emitter = new Emitter();
    this._iframe = null;
    this._container = null;
    this._channel = 'pe-' + (++channelSeq) + '-' + Math.random().toString(36).slice(2);
    this._requests = {};
    this._requestSeq = 0;
    this._ready = false;
    this._destroyed = false;
    this._last = { empty: true, complete: false, collapsed: false, value: { type: 'card' } };
    var self = this;
    this._onMessage = function (event) {
      if (event.origin !== ORIGIN || !event.data || event.data.channel !== self._channel) return;
      self._receive(event.data);
    };
  }

  PaymentElement.prototype.on = function (event, handler) {
    if (ELEMENT_EVENTS.indexOf(event) < 0) throw IntegrationError('Unknown event "' + event + '" for the payment Element.');
    this._emitter.on(event, handler);
    return this;
  };
  PaymentElement.prototype.once = function (event, handler) {
    this._emitter.once(event, handler);
    return this;
  };
  PaymentElement.prototype.off = function (event, handler) {
    this._emitter.off(event, handler);
    return this;
  };

  // Where an element is mounted, or Stripe's error for why it cannot be.
  function frameTarget(element, target) {
    if (element._destroyed) throw IntegrationError('This Element has already been destroyed. Please create a new one.');
    var node = typeof target === 'string' ? document.querySelector(target) : target;
    if (!node || !node.appendChild) {
      throw IntegrationError('The selector you specified (' + target + ') applies to no DOM elements that are currently on the page.');
    }
    if (element._iframe) throw IntegrationError('This Element is already mounted. Use `unmount` first.');
    return node;
  }

  // The element's iframe from the emulator's origin (`path`), inside a
  // `div.__PrivateStripeElement` as Stripe mounts its frames, listening on
  // the element's channel.
  function openFrame(element, node, frame) {
    var iframe = document.createElement('iframe');
    iframe.title = frame.title;
    iframe.name = '__privateStripeFrame' + (frameSeq++);
    iframe.setAttribute('frameborder', '0');
    iframe.setAttribute('allowtransparency', 'true');
    iframe.setAttribute('scrolling', 'no');
    iframe.setAttribute('role', 'presentation');
    if (frame.allow) iframe.allow = frame.allow;
    iframe.style.cssText = 'border:none;width:100%;height:' + frame.height + 'px;display:block;overflow:hidden;color-scheme:normal' + (frame.style || '');
    iframe.src = ORIGIN + frame.path + '#' + encodeURIComponent(element._channel);
    window.addEventListener('message', element._onMessage);
    element._emitter.emit('loaderstart', { elementType: frame.type });
    var wrapper = document.createElement('div');
    wrapper.className = '__PrivateStripeElement';
    wrapper.style.cssText = 'margin:0;padding:0;border:none;display:block;background:transparent;position:relative;opacity:1';
    wrapper.appendChild(iframe);
    node.appendChild(wrapper);
    element._iframe = iframe;
    element._wrapper = wrapper;
    return iframe;
  }

  function closeFrame(element) {
    if (!element._iframe) return;
    window.removeEventListener('message', element._onMessage);
    element._wrapper.remove();
    element._iframe = null;
    element._wrapper = null;
    element._ready = false;
  }

  PaymentElement.prototype.mount = function (target) {
    var node = frameTarget(this, target);
    if (!this._group._clientSecret) {
      throw IntegrationError('In order to create a payment element, you must pass a valid PaymentIntent client secret when creating the Elements group.');
    }
    this._group._mounted = true;
    var iframe = openFrame(this, node, {
      type: 'payment', path: '/elements/payment', title: 'Secure payment input frame', height: 120,
      allow: 'payment *', style: ';transition:height .15s',
    });
    var self = this;
    this._container = node;
    iframe.addEventListener('load', function () {
      self._post({
        type: 'init',
        config: {
          publishableKey: self._group._stripe._key,
          clientSecret: self._group._clientSecret,
          customerSessionClientSecret: self._group._customerSessionClientSecret,
          locale: resolveLocale(self._group._locale || self._group._stripe._locale),
          appearance: self._group._appearance,
          options: self._options,
          parentOrigin: location.origin,
        },
      });
    });
  };

  PaymentElement.prototype._post = function (message) {
    if (!this._iframe || !this._iframe.contentWindow) return;
    message.channel = this._channel;
    message.source = 'stripe-emulator-parent';
    this._iframe.contentWindow.postMessage(message, ORIGIN);
  };

  PaymentElement.prototype._request = function (kind, payload) {
    var self = this;
    var id = ++this._requestSeq;
    return new Promise(function (resolve) {
      self._requests[id] = resolve;
      self._post({ type: 'request', id: id, kind: kind, payload: payload || {} });
    });
  };

  PaymentElement.prototype._receive = function (msg) {
    switch (msg.type) {
      case 'resize':
        if (this._iframe) this._iframe.style.height = Math.ceil(msg.height) + 'px';
        break;
      case 'ready':
        this._ready = true;
        this._emitter.emit('ready', { elementType: 'payment' });
        break;
      case 'change':
        this._last = msg.event;
        this._emitter.emit('change', Object.assign({ elementType: 'payment' }, msg.event));
        break;
      case 'loaderror':
        this._emitter.emit('loaderror', { elementType: 'payment', error: msg.error });
        break;
      case 'response':
        var resolve = this._requests[msg.id];
        delete this._requests[msg.id];
        if (resolve) resolve(msg.result);
        break;
      default:
        if (ELEMENT_EVENTS.indexOf(msg.type) >= 0) {
          this._emitter.emit(msg.type, Object.assign({ elementType: 'payment' }, msg.event || {}));
        }
    }
  };

  PaymentElement.prototype.unmount = function () {
    closeFrame(this);
    this._group._mounted = false;
  };
  PaymentElement.prototype.destroy = function () {
    this.unmount();
    this._destroyed = true;
    if (this._group._element === this) this._group._element = null;
  };
  PaymentElement.prototype.update = function (options) {
    Object.assign(this._options, options || {});
    this._post({ type: 'update', options: options || {} });
    return this;
  };
  PaymentElement.prototype.focus = function () {
    if (this._iframe) this._iframe.focus();
    this._post({ type: 'focus' });
    return this;
  };
  PaymentElement.prototype.blur = function () {
    this._post({ type: 'blur' });
    return this;
  };
  PaymentElement.prototype.clear = function () {
    this._post({ type: 'clear' });
    return this;
  };
  PaymentElement.prototype.collapse = function () {
    this._post({ type: 'collapse' });
    return this;
  };

  /* ----------------------------------------------------- Address Element */

  var ADDRESS_EVENTS = ['ready', 'change', 'focus', 'blur', 'escape', 'loaderstart', 'loaderror'];

  // `elements.create('address', {mode})`: a frame of its own, messaging as
  // the Payment Element does (its helpers are shared below). The Link
  // Authentication Element is the same kind of frame (`frame` differs).
  function AddressElement(group, options, frame) {
    this._group = group;
    this._options = options;
    this._frame = frame || { type: 'address', path: '/elements/address', title: 'Secure address input frame', height: 240 };
    this._emitter = new Emitter();
    this._iframe = null;
    this._channel = this._frame.type + '-' + (++channelSeq) + '-' + Math.random().toString(36).slice(2);
    this._requests = {};
    this._requestSeq = 0;
    this._ready = false;
    this._destroyed = false;
    this._last = null;
    var self = this;
    this._onMessage = function (event) {
      if (event.origin !== ORIGIN || !event.data || event.data.channel !== self._channel) return;
      self._receive(event.data);
    };
  }
  ['_post', '_request', 'once', 'off', 'focus', 'blur', 'update'].forEach(function (name) {
    AddressElement.prototype[name] = PaymentElement.prototype[name];
  });
  AddressElement.prototype.on = function (event, handler) {
    if (ADDRESS_EVENTS.indexOf(event) < 0) throw IntegrationError('Unknown event "' + event + '" for the ' + this._frame.type + ' Element.');
    this._emitter.on(event, handler);
    return this;
  };
  AddressElement.prototype.mount = function (target) {
    var iframe = openFrame(this, frameTarget(this, target), this._frame);
    var self = this;
    iframe.addEventListener('load', function () {
      self._post({
        type: 'init',
        config: {
          locale: resolveLocale(self._group._locale || self._group._stripe._locale),
          appearance: self._group._appearance,
          options: self._options,
        },
      });
    });
  };
  AddressElement.prototype._receive = function (msg) {
    var type = this._frame.type;
    switch (msg.type) {
      case 'resize':
        if (this._iframe) this._iframe.style.height = Math.ceil(msg.height) + 'px';
        break;
      case 'ready':
        this._ready = true;
        this._emitter.emit('ready', { elementType: type });
        break;
      case 'change':
        this._last = msg.event;
        this._emitter.emit('change', Object.assign({ elementType: type }, msg.event));
        break;
      case 'focus':
      case 'blur':
        this._emitter.emit(msg.type, { elementType: type });
        break;
      case 'response':
        var resolve = this._requests[msg.id];
        delete this._requests[msg.id];
        if (resolve) resolve(msg.result);
        break;
    }
  };
  // Validates (showing what is missing) and gives the address: Stripe's
  // `{complete, isNewAddress, value}`.
  AddressElement.prototype.getValue = function () {
    if (!this._iframe) return Promise.reject(IntegrationError('The address Element is not mounted.'));
    return this._request('getValue').then(function (r) {
      return { complete: r.complete, isNewAddress: r.isNewAddress, value: r.value };
    });
  };
  AddressElement.prototype.unmount = function () {
    closeFrame(this);
  };
  AddressElement.prototype.destroy = function () {
    this.unmount();
    this._destroyed = true;
    delete this._group._addresses[this._options.mode];
  };

  /* ------------------------------------------ Link Authentication Element */

  // `elements.create('linkAuthentication', {defaultValues: {email}})`, which
  // Stripe's quickstarts mount above the Payment Element: the e-mail, in a
  // frame of its own, messaging as the Address Element does.
  function LinkAuthenticationElement(group, options) {
    AddressElement.call(this, group, options, {
      type: 'linkAuthentication', path: '/elements/link-authentication', title: 'Secure email input frame', height: 76,
    });
  }
  ['_post', '_request', 'once', 'off', 'focus', 'blur', 'update', 'on', 'mount', '_receive', 'unmount'].forEach(function (name) {
    LinkAuthenticationElement.prototype[name] = AddressElement.prototype[name];
  });
  LinkAuthenticationElement.prototype.destroy = function () {
    this.unmount();
    this._destroyed = true;
    this._group._link = null;
  };

  /* ------------------------------------------------------- Elements group */

  function Elements(stripe, options) {
    options = options || {};
    if (options.mode) throw IntegrationError('This emulator supports the client-secret flow (clientSecret), not `mode`.');
    this._stripe = stripe;
    this._clientSecret = options.clientSecret;
    this._customerSessionClientSecret = options.customerSessionClientSecret;
    this._appearance = options.appearance || {};
    this._locale = options.locale;
    this._loader = options.loader || 'auto';
    this._fonts = options.fonts || [];
    this._element = null;
    this._addresses = {};
    this._link = null;
    this._mounted = false;
    this._emitter = new Emitter();
  }
  Elements.prototype.create = function (type, options) {
    if (type === 'address') {
      var mode = options && options.mode;
      if (mode !== 'shipping' && mode !== 'billing') {
        throw IntegrationError('Invalid value for create(\'address\'): mode should be one of the following strings: shipping, billing. You specified: ' + mode + '.');
      }
      if (this._addresses[mode]) throw IntegrationError('Can only create one Element of type address with mode ' + mode + '.');
      this._addresses[mode] = new AddressElement(this, Object.assign({}, options));
      return this._addresses[mode];
    }
    if (type === 'linkAuthentication') {
      if (this._link) throw IntegrationError('Can only create one Element of type linkAuthentication.');
      this._link = new LinkAuthenticationElement(this, Object.assign({}, options));
      return this._link;
    }
    if (type !== 'payment') throw IntegrationError('The emulator supports the payment, address and linkAuthentication Elements only; "' + type + '" is not available.');
    if (this._element) throw IntegrationError('Can only create one Element of type payment.');
    this._element = new PaymentElement(this, options);
    return this._element;
  };
  Elements.prototype.getElement = function (type, options) {
    if (type === 'address') {
      var mode = (options && options.mode) || 'shipping';
      return this._addresses[mode] || null;
    }
    if (type === 'linkAuthentication') return this._link || null;
    return type === 'payment' ? this._element : null;
  };
  // The mounted Address Elements, each asked to validate (and show what is missing).
  Elements.prototype._addressValues = function () {
    var self = this;
    var mounted = Object.keys(this._addresses).filter(function (mode) { return self._addresses[mode]._iframe; });
    return Promise.all(mounted.map(function (mode) {
      return self._addresses[mode]._request('validate').then(function (r) { return { mode: mode, result: r }; });
    }));
  };
  Elements.prototype.update = function (options) {
    options = options || {};
    if (options.clientSecret && options.clientSecret !== this._clientSecret) {
      return Promise.reject(IntegrationError('You cannot change the clientSecret of an Elements group after it is created. Create a new Elements group instead.'));
    }
    if (options.appearance) this._appearance = options.appearance;
    if (options.locale) this._locale = options.locale;
    if (this._element) {
      this._element._post({ type: 'group-update', appearance: this._appearance, locale: resolveLocale(this._locale || this._stripe._locale) });
    }
    return Promise.resolve();
  };
  Elements.prototype.fetchUpdates = function () {
    if (!this._element || !this._element._iframe) return Promise.resolve({});
    return this._element._request('refresh').then(function (result) {
      return result && result.error ? { error: { message: result.error.message, status: 'failed' } } : {};
    });
  };
  // Validates every mounted element (each shows what is missing); the first
  // error is the answer, as Stripe's `elements.submit()` gives it.
  Elements.prototype.submit = function () {
    var payment = this._element && this._element._iframe ? this._element : null;
    var self = this;
    if (!payment && !Object.keys(this._addresses).some(function (m) { return self._addresses[m]._iframe; })) {
      return Promise.reject(IntegrationError('elements.submit() needs a mounted Element.'));
    }
    var paid = payment ? payment._request('validate') : Promise.resolve({});
    return Promise.all([paid, this._addressValues()]).then(function (all) {
      var failed = all[1].filter(function (a) { return a.result.error; })[0];
      if (all[0].error) return { error: all[0].error };
      if (failed) return { error: failed.result.error };
      return payment ? { selectedPaymentMethod: all[0].type } : {};
    });
  };
  Elements.prototype.on = function (event, handler) {
    this._emitter.on(event, handler);
  };

  /* ----------------------------------------------------------- 3-D Secure */

  function challenge(url) {
    return new Promise(function (resolve) {
      var overlay = document.createElement('div');
      overlay.setAttribute('data-stripe-emulator', 'challenge');
      overlay.style.cssText = 'position:fixed;inset:0;background:rgba(0,0,0,.45);z-index:2147483647;display:flex;align-items:center;justify-content:center';
      var frame = document.createElement('iframe');
      frame.title = '3D Secure challenge';
      frame.name = '__privateStripeFrame' + (frameSeq++);
      frame.src = url;
      frame.style.cssText = 'width:min(440px,94vw);height:min(560px,90vh);border:none;border-radius:12px;background:#fff';
      overlay.appendChild(frame);
      // The page it opened says it is done: the emulator's own address, which
      // is not ORIGIN when this script is served as https://js.stripe.com
      // (the Playwright fixture in end2end/stripe-offline/).
      var challengeOrigin = new URL(url, location.href).origin;
      function onMessage(event) {
        if (event.source !== frame.contentWindow || event.origin !== challengeOrigin) return;
        if (!event.data || event.data.type !== 'stripe-emulator-action-complete') return;
        window.removeEventListener('message', onMessage);
        overlay.remove();
        resolve();
      }
      window.addEventListener('message', onMessage);
      document.body.appendChild(overlay);
    });
  }

  function returnLocation(returnUrl, pi, status) {
    var sep = returnUrl.indexOf('?') >= 0 ? '&' : '?';
    return returnUrl + sep + 'payment_intent=' + encodeURIComponent(pi.id) +
      '&payment_intent_client_secret=' + encodeURIComponent(pi.client_secret) +
      '&redirect_status=' + status;
  }

  function never() {
    return new Promise(function () {});
  }

  /* --------------------------------------------------------------- Stripe */

  function Stripe(key, options) {
    if (!(this instanceof Stripe)) return new Stripe(key, options);
    if (typeof key !== 'string' || key.indexOf('pk_') !== 0) {
      throw IntegrationError('Invalid value for Stripe(): apiKey should be a publishable key (pk_...). You specified: ' + key + '.');
    }
    options = options || {};
    this._key = key;
    this._locale = options.locale;
    this._apiVersion = options.apiVersion;
    this._api = new Api(key);
  }
  Stripe.__emulator = true;
  // As Stripe.js says which it is: 3 at /v3/, the release's name at
  // /<release>/stripe.js (what @stripe/stripe-js's loadStripe loads).
  var release = script ? /^\/([a-z]+)\/stripe\.js$/.exec(new URL(script.src, location.href).pathname) : null;
  Stripe.version = release ? release[1] : 3;

  Stripe.prototype.elements = function (options) {
    return new Elements(this, options);
  };

  Stripe.prototype.retrievePaymentIntent = function (clientSecret) {
    var id = piIdFromSecret(clientSecret);
    if (!id) return Promise.reject(IntegrationError('Invalid value for retrievePaymentIntent: clientSecret should be a client secret of the form ${id}_secret_${secret}.'));
    return this._api.request('GET', '/v1/payment_intents/' + id, { client_secret: clientSecret }).then(function (r) {
      return r.error ? { error: r.error } : { paymentIntent: r.data };
    });
  };

  // Follows the intent to a result: runs 3-D Secure in a modal, redirects for
  // bank methods, and turns a failed attempt into {error}.
  Stripe.prototype._settle = function (pi, redirect, returnUrl) {
    var self = this;
    if (pi.status === 'requires_action' && pi.next_action) {
      if (pi.next_action.type === 'use_stripe_sdk') {
        return challenge(pi.next_action.use_stripe_sdk.stripe_js).then(function () {
          return self.retrievePaymentIntent(pi.client_secret);
        }).then(function (r) {
          return r.error ? { error: r.error } : self._settle(r.paymentIntent, redirect, returnUrl);
        });
      }
      if (pi.next_action.type === 'redirect_to_url') {
        location.assign(pi.next_action.redirect_to_url.url);
        return never();
      }
    }
    if (pi.status === 'requires_payment_method' && pi.last_payment_error) {
      return Promise.resolve({ error: Object.assign({}, pi.last_payment_error, { payment_intent: pi }) });
    }
    if (redirect === 'always' && returnUrl) {
      location.assign(returnLocation(returnUrl, pi, 'succeeded'));
      return never();
    }
    return Promise.resolve({ paymentIntent: pi });
  };

  Stripe.prototype.confirmPayment = function (options) {
    var self = this;
    if (!options || typeof options !== 'object') return Promise.reject(IntegrationError('confirmPayment needs an options object.'));
    var elements = options.elements;
    var params = Object.assign({}, options.confirmParams || {});
    var redirect = options.redirect || 'always';
    if (redirect !== 'always' && redirect !== 'if_required') {
      return Promise.reject(IntegrationError('Invalid value for confirmPayment: redirect should be "always" or "if_required".'));
    }
    if (redirect === 'always' && !params.return_url) {
      return Promise.reject(IntegrationError('stripe.confirmPayment(): the `confirmParams.return_url` argument is required unless passing `redirect: \'if_required\'`'));
    }
    var clientSecret = options.clientSecret || (elements && elements._clientSecret);
    var id = piIdFromSecret(clientSecret);
    if (!id) return Promise.reject(IntegrationError('confirmPayment needs `elements` created with a clientSecret, or a `clientSecret`.'));
    if (elements && (!elements._element || !elements._element._iframe)) {
      return Promise.reject(IntegrationError('Invalid value for confirmPayment: elements should have a mounted Payment Element.'));
    }
    // A mounted shipping Address Element gives the intent its `shipping`,
    // as Stripe.js does, unless the page passes one itself.
    var shipping = elements && elements._addresses.shipping && elements._addresses.shipping._iframe && !params.shipping
      ? elements._addresses.shipping._request('validate')
      : Promise.resolve(null);
    var collected = shipping.then(function (address) {
      if (address && address.error) return { error: address.error };
      if (address) {
        params.shipping = { name: address.value.name, address: address.value.address };
        if (address.value.phone) params.shipping.phone = address.value.phone;
      }
      return elements
        ? elements._element._request('collect', {
          billing_details: params.payment_method_data && params.payment_method_data.billing_details,
        })
        : { payment_method: params.payment_method };
    });
    return collected.then(function (result) {
      if (result.error) return { error: result.error };
      var body = {
        client_secret: clientSecret,
        use_stripe_sdk: 'true',
        return_url: params.return_url,
        receipt_email: params.receipt_email,
        shipping: params.shipping,
        mandate_data: params.mandate_data,
        expand: params.expand,
      };
      body.payment_method = result.payment_method || params.payment_method;
      if (result.save) body.setup_future_usage = result.setup_future_usage || 'off_session';
      else if (params.setup_future_usage) body.setup_future_usage = params.setup_future_usage;
      return self._api.request('POST', '/v1/payment_intents/' + id + '/confirm', body).then(function (r) {
        if (r.error) return { error: r.error };
        return self._settle(r.data, redirect, params.return_url);
      });
    }).then(localized((elements && elements._locale) || self._locale));
  };

  // What wrappers such as @stripe/react-stripe-js check for, and the older
  // card-only calls: working where the emulator has the flow, else Stripe's
  // error shape ({error: {type, code, message}}), never a missing function.
  function unsupported(what) {
    return Promise.resolve({ error: {
      type: 'invalid_request_error',
      code: 'emulator_unsupported',
      message: 'The emulator\'s Stripe.js does not implement ' + what + '.',
    } });
  }

  // `createPaymentMethod({elements, params})`: the mounted Payment Element's
  // method (a new one is created; a saved one is given back).
  Stripe.prototype.createPaymentMethod = function (options) {
    var elements = options && options.elements;
    if (!elements) return unsupported('createPaymentMethod without a Payment Element (Card Elements)');
    if (!elements._element || !elements._element._iframe) {
      return Promise.reject(IntegrationError('Invalid value for createPaymentMethod: elements should have a mounted Payment Element.'));
    }
    var billing = options.params && options.params.billing_details;
    return elements._element._request('collect', { billing_details: billing }).then(function (r) {
      if (r.error) return { error: r.error };
      return { paymentMethod: r.object || { id: r.payment_method, object: 'payment_method', type: r.type } };
    });
  };

  // `confirmCardPayment(clientSecret, {payment_method: 'pm_…'})`: a saved or
  // created method's id (Card Elements are not emulated).
  Stripe.prototype.confirmCardPayment = function (clientSecret, data, options) {
    var self = this;
    var id = piIdFromSecret(clientSecret);
    if (!id) return Promise.reject(IntegrationError('Invalid value for confirmCardPayment: clientSecret should be a client secret of the form ${id}_secret_${secret}.'));
    var pm = data && data.payment_method;
    if (typeof pm !== 'string') return unsupported('confirmCardPayment with a Card Element; pass a payment_method id');
    var body = { client_secret: clientSecret, payment_method: pm, use_stripe_sdk: 'true', return_url: data.return_url };
    if (data.setup_future_usage) body.setup_future_usage = data.setup_future_usage;
    return this._api.request('POST', '/v1/payment_intents/' + id + '/confirm', body).then(function (r) {
      if (r.error) return { error: r.error };
      if (options && options.handleActions === false) return { paymentIntent: r.data };
      return self._settle(r.data, 'if_required', data.return_url);
    }).then(localized(self._locale));
  };

  Stripe.prototype.createToken = function () {
    return unsupported('createToken (tokens and Card Elements)');
  };

  Stripe.prototype.handleNextAction = function (options) {
    var self = this;
    var secret = options && options.clientSecret;
    return this.retrievePaymentIntent(secret).then(function (r) {
      if (r.error) return r;
      return self._settle(r.paymentIntent, 'if_required', null);
    }).then(localized(self._locale));
  };

  window.Stripe = Stripe;
})();
