#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

namespace chronoscope {

class MainWindow;

/// `--composer STATE` (with `--demo`): drives the composer to a state once the demo has landed on
/// the duplicate charge, as a user would — for screenshots and for the crash test, never in normal
/// use. States, each including the ones before it:
///   open      the composer "like" the event at the cursor
///   refund    … with the reducer file's suggested template (the refund) applied
///   invalid   … with a syntax error typed into the data
///   dry-run   … (from refund) with the dry run shown in the diff pane
///   conflict  … writes unlocked, another client appends to the stream, Append: the conflict shown
/// `dataText` (--compose-draft): typed into the data after the state is reached (autosaved).
class ComposerScript : public QObject
{
    Q_OBJECT
public:
    enum class Target { Open, Refund, Invalid, DryRun, Conflict };
    /// Parses a STATE; false for an unknown one.
    static bool parse(const QString &name, Target *target);
    static QString names() { return QStringLiteral("open, refund, invalid, dry-run or conflict"); }

    ComposerScript(MainWindow *window, Target target, const QString &dataText = {});
    bool isDone() const { return m_step == Step::Done; }

Q_SIGNALS:
    void done();
    void failed(const QString &why);

private:
    enum class Step { Landing, Opening, Template, DryRun, Append, Done };
    void tick();
    void finish();

    MainWindow *m_window;
    Target m_target;
    QString m_dataText;
    Step m_step = Step::Landing;
    QTimer m_poll;
    int m_ticks = 0;
};

} // namespace chronoscope
