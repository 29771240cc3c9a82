#pragma once

#include <QStringList>

class QMainWindow;

namespace chronoscope {

/// Where the docks go: the default arrangement (for 1280×800 up to 1920×1080 and beyond), and the
/// user's arrangement saved in QSettings with a version, so that a layout from an older dock set
/// is dropped for the default instead of restoring half a window.
class LayoutStore
{
public:
    /// Bump when docks are added, removed or renamed.
    static constexpr int kVersion = 1;

    explicit LayoutStore(QMainWindow *window) : m_window(window) {}

    /// The objectNames of the docks, in the default arrangement's order.
    static QStringList dockNames();

    /// Streams on the left; timeline across the top right; event list and inspector below it; the
    /// state, diff and reducer panes tabbed under the inspector. Missing docks are skipped.
    void applyDefault();
    /// The saved geometry and dock state, else the default size (1280×800) and arrangement. Returns whether a saved dock state was restored.
    bool restore();
    void save() const;

private:
    QMainWindow *m_window;
};

} // namespace chronoscope
