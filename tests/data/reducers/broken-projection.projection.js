fromAll()
    .when({
        X: function (s, e) { s.n = ; }
    });
