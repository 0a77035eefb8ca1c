// Both pages: the order is paid once the webhook says so, not when the
// browser does; show its status until it is settled.
export async function followOrder(paymentIntentId, show) {
  for (;;) {
    const { status } = await (await fetch(`/orders/${paymentIntentId}`)).json();
    show(`Order ${status}.`);
    if (status !== 'awaiting_payment') return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** What a shopper is told of a failed confirmPayment. */
export function explain(error) {
  return error.type === 'card_error' || error.type === 'validation_error'
    ? error.message : 'Something went wrong.';
}
