// The projection bench_fold scrubs with (state at a random revision, stepping): a dashboard over the demo
// history read as one stream. Its state stays bounded however many events are folded (counters, sums per
// currency and channel, the biggest order, the latest payment, the last 16 events), as a scrubbed read
// model usually does; fold_bench.projection.js, which keeps every order, grows without bound instead.
fromStream('demo-history')
    .when({
        $init: function () {
            return { events: 0, counts: {}, orders: { placed: 0, confirmed: 0, cancelled: 0, shipped: 0 },
                     channels: {}, revenue: {}, refunded: {}, items: { added: 0, removed: 0 },
                     biggestOrder: null, lastPayment: null, recent: [] };
        },
        $any: function (s, e) {
            s.events++;
            s.counts[e.eventType] = (s.counts[e.eventType] || 0) + 1;
            s.recent.push(e.sequenceNumber + ' ' + e.eventType + ' ' + (e.body && (e.body.orderId || e.body.customerId)));
            if (s.recent.length > 16)
                s.recent.shift();
        },
        OrderPlaced: function (s, e) {
            s.orders.placed++;
            var channel = e.body.channel || 'unknown (v1)';
            s.channels[channel] = (s.channels[channel] || 0) + 1;
        },
        ItemAdded: function (s, e) { s.items.added += e.body.quantity; },
        ItemRemoved: function (s, e) { s.items.removed += e.body.quantity; },
        OrderConfirmed: function (s, e) {
            s.orders.confirmed++;
            if (!s.biggestOrder || e.body.total > s.biggestOrder.total)
                s.biggestOrder = { orderId: e.body.orderId, total: e.body.total, currency: e.body.currency };
        },
        OrderCancelled: function (s) { s.orders.cancelled++; },
        OrderShipped: function (s) { s.orders.shipped++; },
        PaymentProcessed: function (s, e) {
            s.revenue[e.body.currency] = (s.revenue[e.body.currency] || 0) + e.body.amount;
            s.lastPayment = { paymentId: e.body.paymentId, amount: e.body.amount, at: e.body.processedAt };
        },
        PaymentRefunded: function (s, e) {
            s.refunded[e.body.currency] = (s.refunded[e.body.currency] || 0) + e.body.amount;
        },
    });
