// tst_jsreducer's enginesAgree: one projection using most of the API over the demo history, folded by every
// engine; their states, results and recorded emits must be equal.
fromCategories('order', 'payment')
    .partitionBy(function (e) { return e.body && e.body.orderId ? e.body.orderId.split('-')[1] % 7 : null; })
    .when({
        $init: function () { return { n: 0, types: {}, money: 0, users: [], v2: 0 }; },
        $initShared: function () { return { all: 0, last: null }; },
        $any: function (p, e) {
            var s = p[0];
            s.n++;
            s.types[e.eventType] = (s.types[e.eventType] || 0) + 1;
            if (e.metadata && e.metadata.schemaVersion === 2) s.v2++;
            if (s.users.length < 5 && e.metadata && s.users.indexOf(e.metadata.userId) < 0) s.users.push(e.metadata.userId);
            p[1].all++;
            p[1].last = e.streamId + '@' + e.sequenceNumber + ':' + e.category + ':' + e.partition;
        },
        PaymentProcessed: function (p, e) {
            p[0].money += e.body.amount;
            if (e.body.amount > 20000) emit('big-payments', 'BigPayment', { id: e.body.paymentId, amount: e.body.amount });
        },
        OrderShipped: function (p, e) {
            if (e.sequenceNumber > 5) linkTo('late-shipments', e);
            p[0].lastCarrier = e.body.carrier + ' ' + e.eventId.length + ' ' + (e.bodyRaw.length > 0);
        },
        OrderCancelled: function (p, e) {
            if (e.body.reason === 'out of stock') throw new Error('out of stock: ' + e.body.orderId);
        },
    })
    .transformBy(function (s) { return { partitions: Object.keys(s).length }; });
