#include "connection/ProfileBanner.h"

#include "connection/ConnectionProfiles.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>

namespace chronoscope::views {
namespace {
// The production red reads on light and dark palettes alike; white text on it has a 6:1 contrast.
const QColor kProductionRed(0xc6, 0x28, 0x28);
constexpr int kAccentWidth = 6;
} // namespace

ProfileBanner::ProfileBanner(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
{
    setObjectName(QStringLiteral("profileBanner"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred); // fills the toolbar it sits in
    m_text->setObjectName(QStringLiteral("profileBannerText"));
    m_text->setTextFormat(Qt::PlainText);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(kAccentWidth + 8, 0, 8, 0);
    layout->addWidget(m_text, 1);
    setVisible(false);
}

void ProfileBanner::showProfile(const ConnectionProfile &profile)
{
    m_production = profile.production;
    m_name = profile.name;
    // Until the write guard says otherwise: a read-only profile is read-only, any other starts locked.
    m_writeState = profile.readOnly ? tr("read-only") : tr("writes locked");
    QFont f = font();
    if (m_production) {
        m_fill = kProductionRed;
        m_accentColour = QColor();
        // A style sheet, not the palette: inside MainWindow's toolbar the label ignored a palette.
        m_text->setStyleSheet(QStringLiteral("QLabel { color: #ffffff; }"));
        f.setBold(true);
        f.setPointSizeF(f.pointSizeF() * 1.15);
        m_text->setAlignment(Qt::AlignCenter);
        setMinimumHeight(32);
    } else {
        m_fill = QColor();
        m_text->setStyleSheet(QString()); // the window's own text colour
        f.setBold(false);
        m_text->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        m_accentColour = QColor(profile.colour);
        setMinimumHeight(24);
    }
    m_text->setFont(f);
    render();
    update();
    setToolTip(profile.connectionString);
    setVisible(true);
}

void ProfileBanner::setWriteState(const QString &state)
{
    m_writeState = state;
    render();
}

void ProfileBanner::render()
{
    if (m_name.isEmpty())
        return;
    m_text->setText(m_production ? tr("PRODUCTION — %1 — %2").arg(m_name, m_writeState)
                                 : tr("Profile: %1 — %2").arg(m_name, m_writeState));
}

void ProfileBanner::clearProfile()
{
    m_production = false;
    m_name.clear();
    m_text->clear();
    setVisible(false);
}

void ProfileBanner::paintEvent(QPaintEvent *event)
{
    // Painted by hand rather than through the palette: a toolbar host (MainWindow puts the banner
    // in one) paints its widgets' backgrounds its own way, and the red must not depend on that.
    QPainter painter(this);
    if (m_fill.isValid())
        painter.fillRect(rect(), m_fill);
    if (m_accentColour.isValid())
        painter.fillRect(QRect(0, 0, kAccentWidth, height()), m_accentColour);
    painter.end();
    QFrame::paintEvent(event);
}

QString ProfileBanner::text() const
{
    return m_text->text();
}

} // namespace chronoscope::views
