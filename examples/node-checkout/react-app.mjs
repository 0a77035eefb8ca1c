// The same checkout as app.mjs, written the way @stripe/react-stripe-js's
// guide writes it: <Elements> with a Stripe promise and both client
// secrets, <LinkAuthenticationElement> and <PaymentElement> inside, and a
// form that calls elements.submit() then confirmPayment with
// redirect: 'if_required' through useStripe() and useElements().
// React, ReactDOM and ReactStripe are the packages' UMD globals (no bundler).
import { loadStripe } from '/vendor/stripe-js.mjs';
import { explain, followOrder } from '/order.mjs';

const { createElement: h, useState } = React;
const { Elements, LinkAuthenticationElement, PaymentElement, useElements, useStripe } = ReactStripe;

function CheckoutForm() {
  const stripe = useStripe();
  const elements = useElements();
  const [ready, setReady] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [order, setOrder] = useState('');

  async function onSubmit(event) {
    event.preventDefault();
    setBusy(true);
    // Validates the element's fields first, as Stripe asks before confirming.
    const submitted = await elements.submit();
    const { error, paymentIntent } = submitted.error ? submitted : await stripe.confirmPayment({
      elements,
      confirmParams: { return_url: `${location.origin}/react` },
      redirect: 'if_required',
    });
    if (error) {
      setMessage(explain(error));
      setBusy(false);
      return;
    }
    setMessage(`Payment ${paymentIntent.status}.`);
    await followOrder(paymentIntent.id, setOrder);
  }

  return h('form', { id: 'payment-form', onSubmit },
    h(LinkAuthenticationElement),
    h(PaymentElement, { options: { layout: 'tabs' }, onReady: () => setReady(true) }),
    h('button', { id: 'pay', type: 'submit', disabled: !stripe || !ready || busy }, 'Pay €15.00'),
    h('p', { id: 'message', role: 'status' }, message),
    h('p', { id: 'order' }, order));
}

const { publishableKey, clientSecret, customerSessionClientSecret } =
  await (await fetch('/checkout', { method: 'POST' })).json();
ReactDOM.createRoot(document.getElementById('root')).render(
  h(Elements, { stripe: loadStripe(publishableKey), options: { clientSecret, customerSessionClientSecret } },
    h(CheckoutForm)));
