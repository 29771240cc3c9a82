#include "ProfileBanner.h"

#include "ConnectionProfiles.h"

#include <QHBoxLayout>
#include <QLabel>

namespace chronoscope::views {
namespace {
// The production red reads on light and dark palettes alike; white text on it has a 6:1 contrast.
const QColor kProductionRed(0xc6, 0x28, 0x28);
} // namespace

ProfileBanner::ProfileBanner(QWidget *parent)
    : QFrame(parent)
    , m_accent(new QFrame(this))
    , m_text(new QLabel(this))
{
    setObjectName(QStringLiteral("profileBanner"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred); // fills the toolbar it sits in
    setAutoFillBackground(true);
    m_accent->setObjectName(QStringLiteral("profileAccent"));
    m_accent->setFixedWidth(6);
    m_accent->setAutoFillBackground(true);
    m_text->setObjectName(QStringLiteral("profileBannerText"));
    m_text->setTextFormat(Qt::PlainText);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 8, 0);
    layout->setSpacing(8);
    layout->addWidget(m_accent);
    layout->addWidget(m_text, 1);
    setVisible(false);
}

void ProfileBanner::showProfile(const ConnectionProfile &profile)
{
    m_production = profile.production;
    const QString access = profile.readOnly ? tr("read-only") : tr("writes enabled");
    QPalette p; // empty: the non-production banner inherits the window's palette
    QFont f = font();
    if (m_production) {
        m_text->setText(tr("PRODUCTION — %1 — %2").arg(profile.name, access));
        p = palette();
        p.setColor(QPalette::Window, kProductionRed);
        p.setColor(QPalette::WindowText, Qt::white);
        f.setBold(true);
        f.setPointSizeF(f.pointSizeF() * 1.15);
        m_text->setAlignment(Qt::AlignCenter);
        m_accent->setVisible(false);
        setMinimumHeight(32);
    } else {
        m_text->setText(tr("Profile: %1 — %2").arg(profile.name, access));
        f.setBold(false);
        m_text->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        QPalette accent = m_accent->palette();
        accent.setColor(QPalette::Window, QColor(profile.colour));
        m_accent->setPalette(accent);
        m_accent->setVisible(true);
        setMinimumHeight(24);
    }
    setPalette(p);
    m_text->setFont(f);
    setToolTip(profile.connectionString);
    setVisible(true);
}

void ProfileBanner::clearProfile()
{
    m_production = false;
    m_text->clear();
    setVisible(false);
}

QString ProfileBanner::text() const
{
    return m_text->text();
}

} // namespace chronoscope::views
