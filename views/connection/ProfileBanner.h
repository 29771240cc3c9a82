#pragma once

#include <QColor>
#include <QFrame>

class QLabel;

namespace chronoscope {
struct ConnectionProfile;
}

namespace chronoscope::views {

/// Says which saved profile the window is connected with. Production profiles get a loud red bar
/// ("PRODUCTION — name — read-only"); others a quiet line with the profile's colour as an accent.
class ProfileBanner : public QFrame
{
    Q_OBJECT
public:
    explicit ProfileBanner(QWidget *parent = nullptr);

    void showProfile(const ConnectionProfile &profile);
    void clearProfile();

    QString text() const;
    bool isProduction() const { return m_production; }
    /// The background drawn behind the text; invalid for non-production profiles.
    QColor fill() const { return m_fill; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QLabel *m_text;
    bool m_production = false;
    QColor m_fill;
    QColor m_accentColour;
};

} // namespace chronoscope::views
