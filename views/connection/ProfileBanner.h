#pragma once

#include <QColor>
#include <QFrame>

class QLabel;

namespace chronoscope {
struct ConnectionProfile;
}

namespace chronoscope::views {

/// Says which saved profile the window is connected with. Production profiles get a loud red bar
/// ("PRODUCTION — name — writes locked"); others a quiet line with the profile's colour as an accent.
/// The words after the name are the write guard's (setWriteState()), never the profile's wish: the
/// banner says "writes unlocked" only while writes really are.
class ProfileBanner : public QFrame
{
    Q_OBJECT
public:
    explicit ProfileBanner(QWidget *parent = nullptr);

    void showProfile(const ConnectionProfile &profile);
    void clearProfile();
    /// What the write guard says now ("read-only", "writes locked", "writes unlocked: …").
    void setWriteState(const QString &state);

    QString text() const;
    bool isProduction() const { return m_production; }
    /// The background drawn behind the text; invalid for non-production profiles.
    QColor fill() const { return m_fill; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void render();

    QLabel *m_text;
    QString m_name;
    QString m_writeState;
    bool m_production = false;
    QColor m_fill;
    QColor m_accentColour;
};

} // namespace chronoscope::views
