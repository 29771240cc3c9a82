// The projection both engines run in bench_fold_js: a typical read model over the demo history (order
// status and totals per order, payments, counts per type), written to accept both OrderPlaced versions.
fromAll()
    .when({
        $init: function () {
            return { orders: {}, counts: {}, revenue: {}, doubleCharged: 0 };
        },
        $any: function (s, e) {
            s.counts[e.eventType] = (s.counts[e.eventType] || 0) + 1;
        },
        OrderPlaced: function (s, e) {
            var d = e.body;
            var v2 = typeof d.total === 'object';
            s.orders[d.orderId] = { status: 'placed', customer: d.customerId,
                                    currency: v2 ? d.total.currency : d.currency,
                                    total: v2 ? d.total.amount : Math.round(d.total * 100), paid: 0, charges: 0 };
        },
        ItemAdded: function (s, e) {
            var o = s.orders[e.body.orderId];
            if (o) o.total += e.body.quantity * e.body.unitPrice;
        },
        ItemRemoved: function (s, e) {
            var o = s.orders[e.body.orderId];
            if (o) o.total -= e.body.quantity * e.body.unitPrice;
        },
        OrderConfirmed: function (s, e) { var o = s.orders[e.body.orderId]; if (o) o.status = 'confirmed'; },
        OrderCancelled: function (s, e) { var o = s.orders[e.body.orderId]; if (o) o.status = 'cancelled'; },
        OrderShipped: function (s, e) { var o = s.orders[e.body.orderId]; if (o) o.status = 'shipped'; },
        PaymentProcessed: function (s, e) {
            var o = s.orders[e.body.orderId];
            if (!o) return;
            o.paid += e.body.amount;
            if (++o.charges === 2) s.doubleCharged++;
            s.revenue[e.body.currency] = (s.revenue[e.body.currency] || 0) + e.body.amount;
        },
        PaymentRefunded: function (s, e) {
            var o = s.orders[e.body.orderId];
            if (o) o.paid -= e.body.amount;
            s.revenue[e.body.currency] = (s.revenue[e.body.currency] || 0) - e.body.amount;
        },
    });
