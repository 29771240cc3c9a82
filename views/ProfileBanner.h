#pragma once

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

private:
    QFrame *m_accent;
    QLabel *m_text;
    bool m_production = false;
};

} // namespace chronoscope::views
