// Orders and payments of the Chronoscope demo history (sandbox/demo/DemoHistory.cpp), in the EventStoreDB
// projection language: paste it into a server projection unchanged.
// Money is in minor units (cents); OrderPlaced v1 events are upcast to v2 by the reducer file.
// An order known only from its payments (its own events were not folded).
// `paid` is what the order's payments took, net of refunds; `refunded` the refunds' total.
function paymentsOnly(currency) {
    return { status: 'unknown', currency: currency, paid: 0, refunded: 0, charges: 0 };
}

fromAll()
    .when({
        $init: function () {
            return {
                orders: {},
                totals: { placed: 0, confirmed: 0, cancelled: 0, shipped: 0, paymentsProcessed: 0,
                          paymentsRefunded: 0, doubleCharged: 0, revenue: {} },
            };
        },
        OrderPlaced: function (s, e) {
            var d = e.data;
            s.orders[d.orderId] = { status: 'placed', customerId: d.customerId, currency: d.total.currency,
                                    total: d.total.amount, channel: d.channel, lines: 0, paid: 0, refunded: 0,
                                    charges: 0 };
            s.totals.placed++;
        },
        ItemAdded: function (s, e) {
            var o = s.orders[e.data.orderId];
            if (!o) return;
            o.total += e.data.quantity * e.data.unitPrice;
            o.lines++;
        },
        ItemRemoved: function (s, e) {
            var o = s.orders[e.data.orderId];
            if (!o) return;
            o.total -= e.data.quantity * e.data.unitPrice;
            o.lines--;
        },
        OrderConfirmed: function (s, e) {
            var o = s.orders[e.data.orderId];
            if (!o) return;
            o.status = 'confirmed';
            o.confirmedTotal = e.data.total;
            s.totals.confirmed++;
        },
        OrderCancelled: function (s, e) {
            var o = s.orders[e.data.orderId];
            if (!o) return;
            o.status = 'cancelled';
            s.totals.cancelled++;
        },
        OrderShipped: function (s, e) {
            var o = s.orders[e.data.orderId];
            if (!o) return;
            o.status = 'shipped';
            s.totals.shipped++;
        },
        PaymentProcessed: function (s, e) {
            // A payment stream folded alone has not seen its order: the charges still count.
            var o = s.orders[e.data.orderId] || (s.orders[e.data.orderId] = paymentsOnly(e.data.currency));
            o.paid += e.data.amount;
            o.charges++;
            if (o.charges === 2)
                s.totals.doubleCharged++;
            s.totals.paymentsProcessed++;
            s.totals.revenue[e.data.currency] = (s.totals.revenue[e.data.currency] || 0) + e.data.amount;
        },
        PaymentRefunded: function (s, e) {
            var o = s.orders[e.data.orderId] || (s.orders[e.data.orderId] = paymentsOnly(e.data.currency));
            o.paid -= e.data.amount;
            o.refunded += e.data.amount;
            s.totals.paymentsRefunded++;
            s.totals.revenue[e.data.currency] = (s.totals.revenue[e.data.currency] || 0) - e.data.amount;
        },
    })
    .outputState();
