#pragma once

#include <QObject>
#include <QPalette>

class QActionGroup;
class QMenu;

namespace chronoscope {

/// The application palette: the system's by default, or a Light/Dark override (Fusion style)
/// chosen in View ▸ Theme and persisted in QSettings ("ui/theme").
class ThemeManager : public QObject
{
    Q_OBJECT
public:
    enum class Theme { System, Light, Dark };
    Q_ENUM(Theme)

    explicit ThemeManager(QObject *parent = nullptr);

    Theme theme() const { return m_theme; }
    /// Applies `theme` to the whole application and remembers it.
    void setTheme(Theme theme);
    /// Applies the persisted choice (at start).
    void restore();
    /// View ▸ Theme: System / Light / Dark as exclusive checkable actions.
    QMenu *createMenu(QWidget *parent);

    static QPalette darkPalette();
    static QPalette lightPalette();

Q_SIGNALS:
    void themeChanged(chronoscope::ThemeManager::Theme theme);

private:
    void apply(Theme theme);

    Theme m_theme = Theme::System;
    QActionGroup *m_group = nullptr;
};

} // namespace chronoscope
