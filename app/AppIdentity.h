#pragma once

#include <QIcon>

namespace chronoscope {

/// The application's identity as the desktop sees it: its names (settings location, --version), its
/// desktop file name (the rDNS id the installed .desktop, AppStream metainfo and icon carry, which Wayland
/// compositors match windows by) and the icon every window shows.
namespace AppIdentity {

/// The rDNS application id, e.g. for `<id>.desktop`.
QString applicationId();
/// The application icon, drawn for small sizes and large (from resources/icons, rendered at build time).
QIcon icon();
/// Sets the names, the desktop file name and the window icon on the running QApplication.
void apply();

} // namespace AppIdentity
} // namespace chronoscope
