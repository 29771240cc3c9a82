// The Connect dialog, the profile banner and the connection controller, on the offscreen platform
// with a fake credential store (no test needs a real keychain).
#include "ConnectionController.h"
#include "MainWindow.h"
#include "connection/ConnectionDialog.h"
#include "connection/ProfileBanner.h"
#include "connection/SessionCredentialStore.h"
#include "support/DemoSandbox.h"
#include "support/FakeCredentialStore.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;
using views::ConnectionDialog;

class TestConnectionDialog : public QObject
{
    Q_OBJECT

    struct Fixture
    {
        QTemporaryDir dir;
        QString path = dir.filePath(QStringLiteral("settings.ini"));
        QSettings settings{path, QSettings::IniFormat};
        ConnectionProfiles profiles{&settings};
        FakeCredentialStore fake;
        SessionCredentialStore store{&fake};
        ConnectionDialog dialog{&profiles, &store};
        QLineEdit *name = field(QStringLiteral("profileName"));
        QLineEdit *string = field(QStringLiteral("connectionString"));
        QLineEdit *username = field(QStringLiteral("username"));
        QLineEdit *password = field(QStringLiteral("password"));
        QLabel *error = dialog.findChild<QLabel *>(QStringLiteral("connectionError"));
        QLabel *summary = dialog.findChild<QLabel *>(QStringLiteral("connectionSummary"));
        QPushButton *connect = dialog.findChild<QPushButton *>(QStringLiteral("connectButton"));
        QPushButton *save = dialog.findChild<QPushButton *>(QStringLiteral("saveButton"));

        QLineEdit *field(const QString &objectName) { return dialog.findChild<QLineEdit *>(objectName); }
        void type(QLineEdit *edit, const QString &text)
        {
            edit->clear();
            QTest::keyClicks(edit, text);
        }
        QByteArray rawSettings()
        {
            settings.sync();
            QFile f(path);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }
    };

    /// With CHRONOSCOPE_SHOTS=<dir>, saves `w` there as <name>.png for looking at.
    static void shot(QWidget &w, const char *name)
    {
        const QString dir = qEnvironmentVariable("CHRONOSCOPE_SHOTS");
        if (dir.isEmpty())
            return;
        QDir().mkpath(dir);
        QVERIFY(w.grab().save(dir + QLatin1Char('/') + QString::fromUtf8(name) + QStringLiteral(".png")));
    }

    static ConnectionProfile profile(const QString &name, const QString &cs, bool production = false)
    {
        ConnectionProfile p;
        p.name = name;
        p.connectionString = cs;
        p.production = production;
        return p;
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void badStringDisablesConnectAndNamesThePart_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("part");
        QTest::addRow("scheme") << "http://localhost:2113" << "unknown scheme 'http'";
        QTest::addRow("port") << "kurrentdb://db1:99999" << "invalid port '99999'";
        QTest::addRow("bool") << "kurrentdb://db1?tls=maybe" << "invalid value 'maybe' for key 'tls'";
        QTest::addRow("no scheme") << "localhost:2113" << "missing scheme";
    }
    void badStringDisablesConnectAndNamesThePart()
    {
        QFETCH(QString, text);
        QFETCH(QString, part);
        Fixture f;
        f.dialog.show();
        QVERIFY(f.string && f.error && f.connect && f.save && f.summary);
        f.type(f.name, QStringLiteral("Broken"));
        f.type(f.string, text);
        QVERIFY(!f.connect->isEnabled());
        QVERIFY(!f.save->isEnabled());
        QVERIFY(f.error->isVisible());
        QVERIFY2(f.error->text().contains(part), qPrintable(f.error->text()));
        QVERIFY(!f.summary->isVisible());
        if (qstrcmp(QTest::currentDataTag(), "port") == 0)
            shot(f.dialog, "dialog-invalid");
        // Enter on a bad string does not connect.
        QSignalSpy accepted(&f.dialog, &QDialog::accepted);
        QTest::keyClick(f.string, Qt::Key_Return);
        QCOMPARE(accepted.count(), 0);
    }

    void goodStringEnablesConnectAndShowsSummary()
    {
        Fixture f;
        f.dialog.show();
        f.type(f.string, QStringLiteral("kurrentdb+discover://ops:hunter2@db1:2113,db2:2114?tlsVerifyCert=false&nodePreference=follower"));
        QVERIFY(f.connect->isEnabled());
        QVERIFY(!f.save->isEnabled()); // no name yet
        QVERIFY(!f.error->isVisible());
        const QString summary = f.summary->text();
        QVERIFY2(summary.contains(QStringLiteral("db1:2113, db2:2114")), qPrintable(summary));
        QVERIFY(summary.contains(QStringLiteral("TLS on")));
        QVERIFY(summary.contains(QStringLiteral("certificate NOT verified")));
        QVERIFY(summary.contains(QStringLiteral("prefers follower")));
        QVERIFY(!summary.contains(QStringLiteral("hunter2")));
        f.type(f.name, QStringLiteral("Cluster"));
        QVERIFY(f.save->isEnabled());
        shot(f.dialog, "dialog-valid");
        f.name->clear();
        QVERIFY(!f.save->isEnabled());
    }

    void savingKeepsPasswordOutOfSettings()
    {
        Fixture f;
        f.dialog.show();
        f.type(f.name, QStringLiteral("Orders prod"));
        f.type(f.string, QStringLiteral("kurrentdb://admin:S3cret-pw@db1:2113?tls=true"));
        QVERIFY(f.dialog.saveProfile());
        QTRY_COMPARE(f.fake.secrets.value(QStringLiteral("Orders prod")), QStringLiteral("S3cret-pw"));
        const QByteArray raw = f.rawSettings();
        QVERIFY2(raw.contains("db1:2113"), raw.constData());
        QVERIFY2(!raw.contains("S3cret-pw"), raw.constData());
        const auto saved = f.profiles.profile(QStringLiteral("Orders prod"));
        QVERIFY(saved);
        QCOMPARE(saved->username, QStringLiteral("admin"));
        QCOMPARE(saved->connectionString, QStringLiteral("kurrentdb://db1:2113?tls=true"));
        QVERIFY(saved->readOnly); // the default

        // Typed password, not remembered: neither settings nor keychain get it.
        f.type(f.name, QStringLiteral("Other"));
        f.type(f.string, QStringLiteral("kurrentdb://db2:2113"));
        f.type(f.username, QStringLiteral("bob"));
        f.type(f.password, QStringLiteral("typed-pw"));
        f.dialog.findChild<QCheckBox *>(QStringLiteral("rememberPassword"))->setChecked(false);
        QVERIFY(f.dialog.saveProfile()); // renames "Orders prod" to "Other"
        QTest::qWait(20);
        QVERIFY(!f.rawSettings().contains("typed-pw"));
        QVERIFY(!f.fake.secrets.values().contains(QStringLiteral("typed-pw")));
        // The keychain entry moved with the rename.
        QTRY_COMPARE(f.fake.secrets.value(QStringLiteral("Other")), QStringLiteral("S3cret-pw"));
        QTRY_VERIFY(!f.fake.secrets.contains(QStringLiteral("Orders prod")));
    }

    void passwordIsNeverPrefilled()
    {
        Fixture f;
        ConnectionProfile p = profile(QStringLiteral("A"), QStringLiteral("kdb://h"));
        p.username = QStringLiteral("alice");
        QCOMPARE(f.profiles.save(p), QString());
        f.fake.secrets.insert(QStringLiteral("A"), QStringLiteral("pw"));
        ConnectionDialog dialog(&f.profiles, &f.store);
        dialog.selectProfile(QStringLiteral("A"));
        QTest::qWait(20);
        QCOMPARE(dialog.findChild<QLineEdit *>(QStringLiteral("username"))->text(), QStringLiteral("alice"));
        QVERIFY(dialog.findChild<QLineEdit *>(QStringLiteral("password"))->text().isEmpty());
    }

    void noKeychainKeepsPasswordForSessionAndSaysSo()
    {
        Fixture f;
        f.fake.available = false;
        QSignalSpy notices(&f.dialog, &ConnectionDialog::notice);
        f.type(f.name, QStringLiteral("Headless"));
        f.type(f.string, QStringLiteral("kurrentdb://u:pw-in-memory@h"));
        QVERIFY(f.dialog.saveProfile());
        QTRY_COMPARE(notices.count(), 1);
        QVERIFY2(notices.at(0).at(0).toString().contains(QStringLiteral("not stored: no keychain available")),
                 qPrintable(notices.at(0).at(0).toString()));
        QVERIFY(f.dialog.statusText().contains(QStringLiteral("this session only")));
        QVERIFY(f.store.holdsInMemory(QStringLiteral("Headless")));
        QVERIFY(!f.rawSettings().contains("pw-in-memory"));
        QString read;
        f.store.readPassword(QStringLiteral("Headless"),
                             [&read](const CredentialStore::Result &r) { read = r.password; });
        QTRY_COMPARE(read, QStringLiteral("pw-in-memory"));
    }

    void duplicateNameIsRefused()
    {
        Fixture f;
        QCOMPARE(f.profiles.save(profile(QStringLiteral("Dup"), QStringLiteral("kdb://h"))), QString());
        ConnectionDialog dialog(&f.profiles, &f.store);
        dialog.findChild<QPushButton *>(QStringLiteral("newProfileButton"))->click();
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("profileName")), QStringLiteral("Dup"));
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("connectionString")), QStringLiteral("kdb://other"));
        QVERIFY(!dialog.saveProfile());
        QVERIFY2(dialog.statusText().contains(QStringLiteral("already exists")), qPrintable(dialog.statusText()));
        QCOMPARE(f.profiles.profile(QStringLiteral("Dup"))->connectionString, QStringLiteral("kdb://h"));
    }

    void enterConnectsEscapeCancels()
    {
        Fixture f;
        f.dialog.show();
        f.type(f.string, QStringLiteral("kurrentdb://localhost:2113?tls=false"));
        QSignalSpy accepted(&f.dialog, &QDialog::accepted);
        QTest::keyClick(f.string, Qt::Key_Return);
        QCOMPARE(accepted.count(), 1);
        QCOMPARE(f.dialog.request().profile.connectionString, QStringLiteral("kurrentdb://localhost:2113?tls=false"));

        Fixture g;
        g.dialog.show();
        QSignalSpy rejected(&g.dialog, &QDialog::rejected);
        QTest::keyClick(g.string, Qt::Key_Escape);
        QCOMPARE(rejected.count(), 1);
    }

    void productionProfileShowsRedBanner()
    {
        views::ProfileBanner banner;
        ConnectionProfile p = profile(QStringLiteral("Orders prod"), QStringLiteral("kdb://h"), true);
        banner.showProfile(p);
        QVERIFY(!banner.isHidden());
        QVERIFY(banner.isProduction());
        QCOMPARE(banner.text(), QStringLiteral("PRODUCTION — Orders prod — read-only"));
        const QColor bg = banner.grab().toImage().pixelColor(2, 2);
        QVERIFY2(bg.red() > 150 && bg.green() < 80 && bg.blue() < 80, qPrintable(bg.name()));
        banner.resize(600, 36);
        shot(banner, "banner-production");

        p.production = false;
        p.name = QStringLiteral("Staging");
        p.colour = QStringLiteral("#10b981");
        banner.showProfile(p);
        QVERIFY(!banner.isProduction());
        QCOMPARE(banner.text(), QStringLiteral("Profile: Staging — read-only"));
        QVERIFY(!banner.fill().isValid());
        const QColor accent = banner.grab().toImage().pixelColor(2, 2); // the colour stripe
        QCOMPARE(accent.name(), QStringLiteral("#10b981"));
        shot(banner, "banner-staging");
        banner.clearProfile();
        QVERIFY(banner.isHidden());
    }

    void productionProfileInDialogList()
    {
        Fixture f;
        QCOMPARE(f.profiles.save(profile(QStringLiteral("Local"), QStringLiteral("kurrentdb://localhost:2113?tls=false"))), QString());
        ConnectionProfile prod = profile(QStringLiteral("Orders production"), QStringLiteral("kurrentdb://db1.prod:2113,db2.prod:2113,db3.prod:2113"), true);
        prod.username = QStringLiteral("auditor");
        prod.colour = QStringLiteral("#dc2626");
        QCOMPARE(f.profiles.save(prod), QString());
        ConnectionDialog dialog(&f.profiles, &f.store);
        dialog.show();
        dialog.selectProfile(QStringLiteral("Orders production"));
        QVERIFY(dialog.findChild<QCheckBox *>(QStringLiteral("production"))->isChecked());
        QVERIFY(dialog.findChild<QPushButton *>(QStringLiteral("connectButton"))->isEnabled());
        auto *list = dialog.findChild<QListWidget *>(QStringLiteral("profileList"));
        QCOMPARE(list->count(), 2);
        QCOMPARE(list->currentItem()->text(), QStringLiteral("Orders production"));
        shot(dialog, "dialog-production");
    }

    void controllerRecentOrderAndCredentials()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        FakeCredentialStore fake;
        QWidget window;
        ConnectionController controller(&settings, &fake, &window);
        QSignalSpy requests(&controller, &ConnectionController::connectRequested);
        for (const char *n : {"alpha", "beta", "gamma"})
            QCOMPARE(controller.profiles().save(profile(QString::fromUtf8(n), QStringLiteral("kdb://h?tls=false"))), QString());
        ConnectionProfile secured = profile(QStringLiteral("secured"), QStringLiteral("kdb://s:2113"), true);
        secured.username = QStringLiteral("admin");
        QCOMPARE(controller.profiles().save(secured), QString());
        fake.secrets.insert(QStringLiteral("secured"), QStringLiteral("from-keychain"));

        controller.connectProfile(QStringLiteral("beta"));
        controller.connectProfile(QStringLiteral("alpha"));
        controller.connectProfile(QStringLiteral("gamma"));
        controller.connectProfile(QStringLiteral("secured")); // asynchronous: password from the store
        QTRY_COMPARE(requests.count(), 4);
        const auto last = requests.at(3).at(0).value<ConnectionSettings>();
        QCOMPARE(last.username, QStringLiteral("admin"));
        QCOMPARE(last.password, QStringLiteral("from-keychain"));
        // What the write guard is told: this profile's own flags, never a default.
        const auto writeProfile = requests.at(3).at(1).value<WriteProfile>();
        QCOMPARE(writeProfile.name, QStringLiteral("secured"));
        QVERIFY(writeProfile.production);
        QVERIFY(writeProfile.readOnly);
        QVERIFY(controller.banner()->isProduction());
        QCOMPARE(controller.banner()->text(), QStringLiteral("PRODUCTION — secured — read-only"));

        QStringList menu;
        for (QAction *a : controller.recentMenu()->actions())
            menu << a->data().toString();
        QCOMPARE(menu, QStringList({QStringLiteral("secured"), QStringLiteral("gamma"), QStringLiteral("alpha"),
                                    QStringLiteral("beta")}));
        settings.sync();
        QFile raw(settings.fileName());
        QVERIFY(raw.open(QIODevice::ReadOnly));
        QVERIFY(!raw.readAll().contains("from-keychain"));
    }

    void mainWindowConnectsThroughProfile()
    {
        DemoSandbox sandbox;
        QVERIFY2(sandbox.start(300), qPrintable(sandbox.error()));
        MainWindow window;
        ConnectionController *controller = window.connections();
        QVERIFY(controller);
        QVERIFY(window.findChild<QAction *>(QStringLiteral("connectAction")));
        const QString name = QStringLiteral("Sandbox production %1").arg(sandbox.server().port());
        QCOMPARE(controller->profiles().save(profile(name, sandbox.connectionString(), true)), QString());
        window.show();
        controller->connectProfile(name);
        auto *list = window.findChild<QListView *>(QStringLiteral("streamList"));
        QTRY_VERIFY_WITH_TIMEOUT(list->model()->rowCount() > 0, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(window.isSettled(), 30000);
        auto *banner = window.findChild<views::ProfileBanner *>(QStringLiteral("profileBanner"));
        QVERIFY(banner && banner->isVisible());
        QCOMPARE(banner->text(), QStringLiteral("PRODUCTION — %1 — read-only").arg(name));
        // What is on screen, not just what the palette says: the middle of the left edge is red.
        const QImage pixels = banner->grab().toImage();
        const QColor painted = pixels.pixelColor(2, pixels.height() / 2);
        QVERIFY2(painted.red() > 150 && painted.green() < 80 && painted.blue() < 80, qPrintable(painted.name()));
        // The text is white on it: some pixel of the banner is near-white.
        bool white = false;
        for (int x = 0; x < pixels.width() && !white; ++x) {
            for (int y = 0; y < pixels.height() && !white; ++y)
                white = pixels.pixelColor(x, y).lightness() > 230;
        }
        QVERIFY(white);
        QTest::qWait(200);
        shot(window, "mainwindow-production");
        controller->profiles().remove(name);
    }
};

QTEST_MAIN(TestConnectionDialog)
#include "tst_connectiondialog.moc"
