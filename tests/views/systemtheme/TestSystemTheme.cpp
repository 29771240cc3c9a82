// A platform theme for tests that plays the system: its palette is light or dark, and a switch is reported
// the way platform plugins report one (QWindowSystemInterface::handleThemeChange). Loaded with
// QT_QPA_PLATFORMTHEME=chronoscope-test from QT_PLUGIN_PATH; a test flips it with
// QMetaObject::invokeMethod(qApp->findChild<QObject *>("chronoscopeTestSystemTheme"), "setDark", true).
#include <QGuiApplication>
#include <QPalette>
#include <QtGui/qpa/qplatformtheme.h>
#include <QtGui/qpa/qplatformthemeplugin.h>
#include <QtGui/qpa/qwindowsysteminterface.h>

namespace {

QPalette systemPalette(bool dark)
{
    // windowText, window, light, dark, mid, text, base
    return dark ? QPalette(QColor(0xe8, 0xe8, 0xe8), QColor(0x26, 0x26, 0x26), QColor(0x3a, 0x3a, 0x3a),
                           QColor(0x10, 0x10, 0x10), QColor(0x1c, 0x1c, 0x1c), QColor(0xe8, 0xe8, 0xe8),
                           QColor(0x1a, 0x1a, 0x1a))
                : QPalette(QColor(0x10, 0x10, 0x10), QColor(0xef, 0xef, 0xef), Qt::white, QColor(0xa0, 0xa0, 0xa0),
                           QColor(0xb8, 0xb8, 0xb8), QColor(0x10, 0x10, 0x10), Qt::white);
}

class TestSystemTheme : public QPlatformTheme
{
public:
    const QPalette *palette(Palette type) const override { return type == SystemPalette ? &m_palette : nullptr; }
    void setDark(bool dark) { m_palette = systemPalette(dark); }

private:
    QPalette m_palette = systemPalette(false);
};

} // namespace

/// The switch a test turns: what a desktop's "dark style" toggle does to a running application.
class TestSystemThemeSwitch : public QObject
{
    Q_OBJECT
public:
    TestSystemThemeSwitch(TestSystemTheme *theme, QObject *parent) : QObject(parent), m_theme(theme)
    {
        setObjectName(QStringLiteral("chronoscopeTestSystemTheme"));
    }
    Q_INVOKABLE void setDark(bool dark)
    {
        m_theme->setDark(dark);
        QWindowSystemInterface::handleThemeChange<QWindowSystemInterface::SynchronousDelivery>();
    }

private:
    TestSystemTheme *m_theme;
};

class TestSystemThemePlugin : public QPlatformThemePlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID QPlatformThemeFactoryInterface_iid FILE "systemtheme.json")
public:
    QPlatformTheme *create(const QString &key, const QStringList &) override
    {
        if (key != QLatin1String("chronoscope-test"))
            return nullptr;
        auto *theme = new TestSystemTheme;
        new TestSystemThemeSwitch(theme, QCoreApplication::instance());
        return theme;
    }
};

#include "TestSystemTheme.moc"
