// Per-order totals of the Chronoscope demo history, one partition per order (its id, "order-N"), in the
// EventStoreDB projection language: the numbers demo-orders.projection.js keeps under orders[orderId],
// in minor units (cents). OrderPlaced v1 events (a decimal total and a sibling currency) are read as v2.
//
// The demo server runs this projection as "order-totals" — with a typo the shop never caught: its
// handler is named "PaymentRefund", so refunds never reach it. Compare the server's projection with this
// file (Projections pane, or `chronoscope-cli projections compare order-totals --source <this file>`):
// the refunded orders differ at /paid and /refunded.
fromAll()
    .partitionBy(function (e) {
        return e.data && typeof e.data.orderId === 'string' ? e.data.orderId : undefined;
    })
    .when({
        $init: function () {
            return { status: 'unknown', paid: 0, refunded: 0, charges: 0 };
        },
        OrderPlaced: function (s, e) {
            var d = e.data;
            var v1 = typeof d.total === 'number';
            s.status = 'placed';
            s.customerId = d.customerId;
            s.currency = v1 ? d.currency : d.total.currency;
            s.total = v1 ? Math.round(d.total * 100) : d.total.amount;
            s.channel = d.channel === undefined ? 'unknown' : d.channel;
            s.lines = 0;
        },
        ItemAdded: function (s, e) {
            if (s.status === 'unknown') return;
            s.total += e.data.quantity * e.data.unitPrice;
            s.lines++;
        },
        ItemRemoved: function (s, e) {
            if (s.status === 'unknown') return;
            s.total -= e.data.quantity * e.data.unitPrice;
            s.lines--;
        },
        OrderConfirmed: function (s, e) {
            if (s.status === 'unknown') return;
            s.status = 'confirmed';
            s.confirmedTotal = e.data.total;
        },
        OrderCancelled: function (s, e) {
            if (s.status !== 'unknown') s.status = 'cancelled';
        },
        OrderShipped: function (s, e) {
            if (s.status !== 'unknown') s.status = 'shipped';
        },
        PaymentProcessed: function (s, e) {
            if (s.currency === undefined) s.currency = e.data.currency;
            s.paid += e.data.amount;
            s.charges++;
        },
        PaymentRefunded: function (s, e) {
            if (s.currency === undefined) s.currency = e.data.currency;
            s.paid -= e.data.amount;
            s.refunded += e.data.amount;
        },
    });
