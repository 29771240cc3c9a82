// test_app_identity: the window icon is drawn at every size the desktop asks for, and the application
// carries the id its installed .desktop file, metainfo and icon are named by.
#include "AppIdentity.h"

#include <QApplication>
#include <QTest>

using namespace chronoscope;

class TestAppIdentity : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void iconAtEverySize_data();
    void iconAtEverySize();
    void applied();
};

void TestAppIdentity::iconAtEverySize_data()
{
    QTest::addColumn<int>("size");
    for (int size : {16, 22, 24, 32, 48, 64, 128, 256})
        QTest::addRow("%d", size) << size;
}

void TestAppIdentity::iconAtEverySize()
{
    QFETCH(int, size);
    const QIcon icon = AppIdentity::icon();
    QVERIFY(icon.availableSizes().contains(QSize(size, size)));
    const QImage image = icon.pixmap(QSize(size, size)).toImage();
    QCOMPARE(image.size(), QSize(size, size));
    // Drawn, not blank: the tile's corner is transparent, its centre is not.
    QCOMPARE(qAlpha(image.pixel(0, 0)), 0);
    QCOMPARE(qAlpha(image.pixel(size / 2, size / 2)), 255);
}

void TestAppIdentity::applied()
{
    AppIdentity::apply();
    QVERIFY(AppIdentity::applicationId().startsWith(QLatin1String("io.github.")));
    QCOMPARE(QGuiApplication::desktopFileName(), AppIdentity::applicationId());
    QCOMPARE(QCoreApplication::applicationName(), QStringLiteral("chronoscope"));
    QVERIFY(!QApplication::windowIcon().isNull());
    QCOMPARE(QApplication::windowIcon().availableSizes().size(), 8);
}

QTEST_MAIN(TestAppIdentity)
#include "tst_appidentity.moc"
