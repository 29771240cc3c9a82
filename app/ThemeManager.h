#pragma once

#include <QObject>
#include <QPalette>

class QActionGroup;
class QMenu;

namespace chronoscope {

/// The application palette: the system's by default, or a Light/Dark override (Fusion style)
/// chosen in View ▸ Theme and persisted in QSettings ("ui/theme").
///
/// System leaves the palette unset, so Qt resolves it from the platform theme again whenever the platform
/// reports a change (a live switch between light and dark reaches every widget as a PaletteChange); the
/// overrides set every colour role, so such a switch leaves them as they are.
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

    /// Whether the palette in use is a dark one (the system's or the override).
    static bool isDark();

Q_SIGNALS:
    /// The theme chosen, or (with System) the system's palette, changed.
    void themeChanged(chronoscope::ThemeManager::Theme theme);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void apply(Theme theme);

    Theme m_theme = Theme::System;
    QActionGroup *m_group = nullptr;
    bool m_applying = false;
};

} // namespace chronoscope
