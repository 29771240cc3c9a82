#pragma once

#include <QString>

namespace chronoscope {

/// The demo's reducer file (orders and payments, with the one-charge-per-order invariant), shipped
/// inside the application and copied to the user's data folder on first use, so that it can be
/// edited and saved like any reducer file. A copy that is already there is left as the user made it,
/// unless it is byte for byte a file an earlier version shipped (then it is brought up to date).
struct DemoReducer
{
    /// The path of the user's copy, installed when missing. Empty with `error` set when it could not be.
    static QString install(QString *error);
    /// Where the copy lives (the data folder's "demo" folder).
    static QString folder();
};

} // namespace chronoscope
