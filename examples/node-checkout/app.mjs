// The page: @stripe/stripe-js loads https://js.stripe.com/…/stripe.js, the
// Link Authentication and Payment Elements share one group (the saved card
// shows through the CustomerSession), and Pay confirms without leaving the
// page unless the method needs to.
import { loadStripe } from '/vendor/stripe-js.mjs';
import { explain, followOrder } from '/order.mjs';

const message = document.getElementById('message');
const pay = document.getElementById('pay');

const { publishableKey, clientSecret, customerSessionClientSecret } =
  await (await fetch('/checkout', { method: 'POST' })).json();
const stripe = await loadStripe(publishableKey);
const elements = stripe.elements({ clientSecret, customerSessionClientSecret });
elements.create('linkAuthentication').mount('#link-authentication-element');
const paymentElement = elements.create('payment', { layout: 'tabs' });
paymentElement.on('ready', () => { pay.disabled = false; });
paymentElement.mount('#payment-element');

document.getElementById('payment-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  pay.disabled = true;
  const { error, paymentIntent } = await stripe.confirmPayment({
    elements,
    confirmParams: { return_url: `${location.origin}/` },
    redirect: 'if_required',
  });
  if (error) {
    message.textContent = explain(error);
    pay.disabled = false;
    return;
  }
  message.textContent = `Payment ${paymentIntent.status}.`;
  await followOrder(paymentIntent.id, (text) => { document.getElementById('order').textContent = text; });
});
