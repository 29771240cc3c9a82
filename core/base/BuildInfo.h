#pragma once

#include <QList>
#include <QPair>
#include <QString>

namespace chronoscope {

/// Versions of the libraries core was built against and runs with, for the About dialog and
/// bug reports: (name, version) pairs, Chronoscope first. Core only knows its own libraries; the
/// GUI adds Qt Widgets-side ones (QCustomPlot) itself.
QList<QPair<QString, QString>> coreLibraryVersions();

} // namespace chronoscope
