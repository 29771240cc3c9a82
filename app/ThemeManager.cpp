#include "ThemeManager.h"

#include <QActionGroup>
#include <QApplication>
#include <QMenu>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

namespace chronoscope {

namespace {
const QString kKey = QStringLiteral("ui/theme");

/// The platform's style as it was before any override (the first manager sees it). Its palette is not
/// kept: System asks the platform for it whenever it changes.
const QString &systemStyle()
{
    static const QString style = QApplication::style() ? QApplication::style()->name() : QString();
    return style;
}
} // namespace

ThemeManager::ThemeManager(QObject *parent)
    : QObject(parent)
{
    systemStyle();
    // The application hears of every palette change (QEvent::ApplicationPaletteChange), the platform's too.
    QCoreApplication::instance()->installEventFilter(this);
}

bool ThemeManager::isDark()
{
    const QPalette p = QApplication::palette();
    return p.color(QPalette::Window).lightness() < p.color(QPalette::WindowText).lightness();
}

bool ThemeManager::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == QCoreApplication::instance() && event->type() == QEvent::ApplicationPaletteChange && !m_applying
        && m_theme == Theme::System)
        Q_EMIT themeChanged(Theme::System); // the system switched (light/dark): Qt has applied it already
    return QObject::eventFilter(watched, event);
}

QPalette ThemeManager::darkPalette()
{
    // A calm dark palette: not pure black, enough contrast for text, a blue accent.
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30), base(0x1f, 0x21, 0x24), text(0xe4, 0xe6, 0xea);
    const QColor button(0x35, 0x38, 0x3c), highlight(0x3d, 0x8e, 0xf0), disabled(0x80, 0x84, 0x8a);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x27, 0x29, 0x2d));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3d, 0x42));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb3, 0x9d, 0xff));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x45, 0x48, 0x4d));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3d, 0x42));
    p.setColor(QPalette::Mid, QColor(0x25, 0x27, 0x2a));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, Qt::black);
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x50, 0x53, 0x58));
    p.setResolveMask(~QPalette::ResolveMask(0)); // every role is ours: a system switch changes none
    return p;
}

QPalette ThemeManager::lightPalette()
{
    QPalette p = QStyleFactory::create(QStringLiteral("Fusion"))->standardPalette();
    p.setColor(QPalette::Highlight, QColor(0x2a, 0x6f, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setResolveMask(~QPalette::ResolveMask(0)); // every role is ours: a system switch changes none
    return p;
}

void ThemeManager::apply(Theme theme)
{
    m_applying = true;
    if (theme == Theme::System) {
        if (!systemStyle().isEmpty())
            QApplication::setStyle(systemStyle());
        // No role set: Qt takes every colour from the platform, now and after each switch it reports.
        QApplication::setPalette(QPalette());
    } else {
        QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(theme == Theme::Dark ? darkPalette() : lightPalette());
    }
    m_applying = false;
}

void ThemeManager::setTheme(Theme theme)
{
    const bool changed = theme != m_theme;
    m_theme = theme;
    apply(theme);
    QSettings().setValue(kKey, int(theme));
    if (m_group) {
        const auto actions = m_group->actions();
        for (QAction *a : actions)
            a->setChecked(a->data().toInt() == int(theme));
    }
    if (changed)
        Q_EMIT themeChanged(theme);
}

void ThemeManager::restore()
{
    const int stored = QSettings().value(kKey, int(Theme::System)).toInt();
    const Theme theme = stored == int(Theme::Dark) ? Theme::Dark : stored == int(Theme::Light) ? Theme::Light
                                                                                              : Theme::System;
    m_theme = theme;
    if (theme != Theme::System)
        apply(theme);
}

QMenu *ThemeManager::createMenu(QWidget *parent)
{
    auto *menu = new QMenu(tr("&Theme"), parent);
    m_group = new QActionGroup(menu);
    const std::pair<Theme, QString> entries[] = {
        {Theme::System, tr("&System")}, {Theme::Light, tr("&Light")}, {Theme::Dark, tr("&Dark")}};
    for (const auto &[theme, label] : entries) {
        QAction *action = menu->addAction(label);
        action->setObjectName(QStringLiteral("theme%1").arg(int(theme)));
        action->setCheckable(true);
        action->setChecked(theme == m_theme);
        action->setData(int(theme));
        m_group->addAction(action);
        connect(action, &QAction::triggered, this, [this, theme = theme]() { setTheme(theme); });
    }
    return menu;
}

} // namespace chronoscope
