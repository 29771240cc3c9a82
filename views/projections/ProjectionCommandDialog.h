#pragma once

#include "correct/ProjectionCommand.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace chronoscope {
class WriteGuard;
}

namespace chronoscope::views {

/// Confirms one projection change before it is sent (issue 13, item 3): what it does in words, the
/// unlock reason that goes into the audit log, and — for a production profile — the profile's name
/// typed. Create and Update edit the source (and name, mode, emit options) here too; Delete asks which
/// of the projection's streams go with it.
class ProjectionCommandDialog : public QDialog
{
    Q_OBJECT
public:
    ProjectionCommandDialog(const ProjectionCommand &command, const WriteGuard &guard, QWidget *parent = nullptr);

    /// The command as edited.
    ProjectionCommand command() const;
    QString typedProfileName() const;

    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *modeBox() const { return m_mode; }
    QPlainTextEdit *sourceEdit() const { return m_source; }
    QCheckBox *emitBox() const { return m_emit; }
    QLineEdit *profileEdit() const { return m_profile; }
    QLabel *descriptionLabel() const { return m_description; }
    QDialogButtonBox *buttons() const { return m_buttons; }

private:
    void sync();

    ProjectionCommand m_command;
    QString m_profileName;
    bool m_needsProfile;
    QLineEdit *m_name = nullptr;
    QComboBox *m_mode = nullptr;
    QPlainTextEdit *m_source = nullptr;
    QCheckBox *m_emit = nullptr;
    QCheckBox *m_track = nullptr;
    QCheckBox *m_deleteState = nullptr;
    QCheckBox *m_deleteCheckpoint = nullptr;
    QCheckBox *m_deleteEmitted = nullptr;
    QLineEdit *m_profile = nullptr;
    QLabel *m_description;
    QDialogButtonBox *m_buttons;
};

} // namespace chronoscope::views
