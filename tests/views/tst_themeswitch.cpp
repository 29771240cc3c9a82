// test_theme_follows_system: with View ▸ Theme ▸ System the palette follows a live switch of the system
// between light and dark, as a desktop's dark-style toggle makes it (the platform theme changes its palette
// and reports the change); the Light and Dark overrides stay as chosen. The system is played by the
// platform theme plugin in systemtheme/.
#include "ThemeManager.h"

#include <QApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QWidget>

using namespace chronoscope;

namespace {

/// Counts the palette changes a widget receives: what every view restyles on.
class PaletteWatcher : public QWidget
{
public:
    int changes = 0;

protected:
    void changeEvent(QEvent *event) override
    {
        if (event->type() == QEvent::PaletteChange)
            ++changes;
        QWidget::changeEvent(event);
    }
};

bool darkWindow(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

const QPalette::ColorRole kRoles[] = {QPalette::Window,    QPalette::WindowText,    QPalette::Base,
                                      QPalette::Text,      QPalette::Button,        QPalette::ButtonText,
                                      QPalette::Highlight, QPalette::AlternateBase, QPalette::ToolTipBase,
                                      QPalette::Light,     QPalette::Dark,          QPalette::PlaceholderText};

} // namespace

class TestThemeSwitch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void systemFollowsALiveSwitch();
    void overridesStayThroughASwitch_data();
    void overridesStayThroughASwitch();
    void systemAfterAnOverrideIsTheSystemOfNow();

private:
    void setSystemDark(bool dark);
    QObject *m_system = nullptr;
};

void TestThemeSwitch::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("Chronoscope"));
    QCoreApplication::setApplicationName(QStringLiteral("test_theme_follows_system"));
    QSettings().clear();
    m_system = QCoreApplication::instance()->findChild<QObject *>(QStringLiteral("chronoscopeTestSystemTheme"));
    QVERIFY2(m_system, "the test platform theme is not loaded (QT_QPA_PLATFORMTHEME=chronoscope-test, QT_PLUGIN_PATH)");
}

void TestThemeSwitch::init()
{
    setSystemDark(false);
    ThemeManager().setTheme(ThemeManager::Theme::System);
    QVERIFY(!darkWindow(QApplication::palette()));
}

void TestThemeSwitch::setSystemDark(bool dark)
{
    QVERIFY(QMetaObject::invokeMethod(m_system, "setDark", Q_ARG(bool, dark)));
}

void TestThemeSwitch::systemFollowsALiveSwitch()
{
    ThemeManager themes;
    themes.setTheme(ThemeManager::Theme::System);
    PaletteWatcher window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(!ThemeManager::isDark());
    QSignalSpy switched(&themes, &ThemeManager::themeChanged);

    const int before = window.changes;
    setSystemDark(true);
    QVERIFY(darkWindow(QApplication::palette()));
    QVERIFY(ThemeManager::isDark());
    QTRY_VERIFY(darkWindow(window.palette())); // Qt posts the change to the windows
    QVERIFY(window.changes > before);
    QCOMPARE(switched.count(), 1);
    QCOMPARE(switched.at(0).at(0).value<ThemeManager::Theme>(), ThemeManager::Theme::System);

    setSystemDark(false);
    QVERIFY(!darkWindow(QApplication::palette()));
    QTRY_VERIFY(!darkWindow(window.palette()));
    QCOMPARE(switched.count(), 2);
    QCOMPARE(themes.theme(), ThemeManager::Theme::System);
}

void TestThemeSwitch::overridesStayThroughASwitch_data()
{
    QTest::addColumn<ThemeManager::Theme>("theme");
    QTest::addRow("light") << ThemeManager::Theme::Light;
    QTest::addRow("dark") << ThemeManager::Theme::Dark;
}

void TestThemeSwitch::overridesStayThroughASwitch()
{
    QFETCH(ThemeManager::Theme, theme);
    const QPalette chosen = theme == ThemeManager::Theme::Dark ? ThemeManager::darkPalette()
                                                               : ThemeManager::lightPalette();
    ThemeManager themes;
    themes.setTheme(theme);
    QSignalSpy switched(&themes, &ThemeManager::themeChanged);

    for (bool systemDark : {true, false, true}) {
        setSystemDark(systemDark);
        QCoreApplication::processEvents();
        for (QPalette::ColorRole role : kRoles)
            QCOMPARE(QApplication::palette().color(role), chosen.color(role));
    }
    QCOMPARE(switched.count(), 0);
}

void TestThemeSwitch::systemAfterAnOverrideIsTheSystemOfNow()
{
    // Light chosen, the system turns dark meanwhile: back to System is dark, not the palette seen at start.
    ThemeManager themes;
    themes.setTheme(ThemeManager::Theme::Light);
    setSystemDark(true);
    QVERIFY(!darkWindow(QApplication::palette()));
    themes.setTheme(ThemeManager::Theme::System);
    QVERIFY(darkWindow(QApplication::palette()));
    setSystemDark(false);
    QTRY_VERIFY(!darkWindow(QApplication::palette()));
}

QTEST_MAIN(TestThemeSwitch)
#include "tst_themeswitch.moc"
