#include "connection/ConnectionDialog.h"

#include "connection/ConnectionSettings.h"
#include "connection/CredentialStore.h"
#include "connection/ProfileItemDelegate.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QColorDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

namespace chronoscope::views {
namespace {

constexpr int kProductionRole = Qt::UserRole + 1;
const QColor kErrorRed(0xc6, 0x28, 0x28);
const QStringList kPresetColours = {
    QStringLiteral("#3b82f6"), QStringLiteral("#10b981"), QStringLiteral("#f59e0b"), QStringLiteral("#8b5cf6"),
    QStringLiteral("#ec4899"), QStringLiteral("#14b8a6"), QStringLiteral("#64748b"), QStringLiteral("#dc2626")};

QIcon swatch(const QString &colour, int size = 16)
{
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QColor(0, 0, 0, 90));
    p.setBrush(QColor(colour));
    p.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 3, 3);
    QIcon icon(pm);
    icon.addPixmap(pm, QIcon::Selected); // the true colour on a selected row, not a tinted one
    return icon;
}

/// What the parsed string means, without its password: hosts, TLS, verification, node preference.
QString summaryOf(const ConnectionSettings &s)
{
    QStringList hosts;
    for (const EndPoint &h : s.hosts)
        hosts << h.toString();
    QStringList parts;
    parts << (s.usesGossip() ? QObject::tr("gossip via %1") : QObject::tr("host %1")).arg(hosts.join(QStringLiteral(", ")));
    parts << (s.tls ? QObject::tr("TLS on") : QObject::tr("TLS off (plain text)"));
    if (s.tls)
        parts << (s.tlsVerifyCert ? QObject::tr("certificate verified") : QObject::tr("certificate NOT verified"));
    if (!s.tlsCaFile.isEmpty())
        parts << QObject::tr("CA file %1").arg(s.tlsCaFile);
    if (s.usesGossip())
        parts << QObject::tr("prefers %1").arg(ConnectionSettings::nodePreferenceName(s.nodePreference));
    if (s.hasCredentials())
        parts << QObject::tr("user %1 (password from the string is never saved)").arg(s.username);
    QString text = parts.join(QStringLiteral(" · "));
    for (const QString &w : s.warnings)
        text += QLatin1Char('\n') + QObject::tr("Note: %1").arg(w);
    return text;
}

} // namespace

ConnectionDialog::ConnectionDialog(ConnectionProfiles *profiles, CredentialStore *store, QWidget *parent)
    : QDialog(parent)
    , m_profiles(profiles)
    , m_store(store)
    , m_list(new QListWidget(this))
    , m_status(new QLabel(this))
    , m_buttons(new QDialogButtonBox(this))
{
    setObjectName(QStringLiteral("connectionDialog"));
    setWindowTitle(tr("Connect"));
    m_list->setObjectName(QStringLiteral("profileList"));
    m_list->setItemDelegate(new ProfileItemDelegate(kProductionRole, m_list));
    m_list->setMinimumWidth(200);
    auto *newButton = new QPushButton(tr("&New Profile"), this);
    newButton->setObjectName(QStringLiteral("newProfileButton"));
    newButton->setAutoDefault(false);
    connect(newButton, &QPushButton::clicked, this, &ConnectionDialog::newProfile);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(new QLabel(tr("Saved profiles"), left));
    leftLayout->addWidget(m_list, 1);
    leftLayout->addWidget(newButton);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(buildEditor());
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    m_connect = m_buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole);
    m_save = m_buttons->addButton(tr("&Save"), QDialogButtonBox::ApplyRole);
    m_delete = m_buttons->addButton(tr("&Delete"), QDialogButtonBox::DestructiveRole);
    m_buttons->addButton(QDialogButtonBox::Cancel);
    m_connect->setObjectName(QStringLiteral("connectButton"));
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_delete->setObjectName(QStringLiteral("deleteButton"));
    for (QAbstractButton *b : m_buttons->buttons()) {
        if (auto *pb = qobject_cast<QPushButton *>(b))
            pb->setAutoDefault(false);
    }
    m_connect->setDefault(true); // Enter connects; Esc cancels (QDialog)
    connect(m_connect, &QPushButton::clicked, this, &ConnectionDialog::connectClicked);
    connect(m_save, &QPushButton::clicked, this, &ConnectionDialog::saveProfile);
    connect(m_delete, &QPushButton::clicked, this, &ConnectionDialog::deleteProfile);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);

    connect(m_list, &QListWidget::currentTextChanged, this, [this](const QString &name) {
        if (const auto p = m_profiles->profile(name))
            loadProfile(*p);
    });
    setTabOrder(m_list, newButton);
    setTabOrder(newButton, m_name);
    setTabOrder(m_name, m_connectionString);
    setTabOrder(m_connectionString, m_username);
    setTabOrder(m_username, m_password);
    setTabOrder(m_password, m_remember);

    resize(820, 500);
    reloadList();
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
    else
        newProfile();
}

QWidget *ConnectionDialog::buildEditor()
{
    auto *editor = new QWidget(this);
    m_name = new QLineEdit(editor);
    m_name->setObjectName(QStringLiteral("profileName"));
    m_name->setPlaceholderText(tr("e.g. Orders production"));
    m_connectionString = new QLineEdit(editor);
    m_connectionString->setObjectName(QStringLiteral("connectionString"));
    m_connectionString->setPlaceholderText(QStringLiteral("kurrentdb://localhost:2113?tls=false"));
    m_connectionString->setClearButtonEnabled(true);
    m_error = new QLabel(editor);
    m_error->setObjectName(QStringLiteral("connectionError"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    QPalette ep = m_error->palette();
    ep.setColor(QPalette::WindowText, kErrorRed);
    m_error->setPalette(ep);
    m_summary = new QLabel(editor);
    m_summary->setObjectName(QStringLiteral("connectionSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    m_username = new QLineEdit(editor);
    m_username->setObjectName(QStringLiteral("username"));
    m_username->setPlaceholderText(tr("none: connect anonymously"));
    m_password = new QLineEdit(editor);
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("asked when needed"));
    m_remember = new QCheckBox(tr("Remember the password in the system keychain"), editor);
    m_remember->setObjectName(QStringLiteral("rememberPassword"));
    m_remember->setChecked(true);
    m_production = new QCheckBox(tr("Production"), editor);
    m_production->setObjectName(QStringLiteral("production"));
    auto *productionNote = new QLabel(tr("A red banner shows while connected, and writes will need the profile "
                                         "name typed."), editor);
    productionNote->setWordWrap(true);
    productionNote->setForegroundRole(QPalette::PlaceholderText);
    m_readOnly = new QCheckBox(tr("Read-only (no appends or deletes)"), editor);
    m_readOnly->setObjectName(QStringLiteral("readOnly"));
    m_readOnly->setChecked(true);

    auto *form = new QFormLayout(editor);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("Connection &string:"), m_connectionString);
    // One row for both lines, so the hidden one takes no space.
    auto *feedback = new QWidget(editor);
    auto *feedbackLayout = new QVBoxLayout(feedback);
    feedbackLayout->setContentsMargins(0, 0, 0, 0);
    feedbackLayout->setSpacing(0);
    feedbackLayout->addWidget(m_error);
    feedbackLayout->addWidget(m_summary);
    form->addRow(QString(), feedback);
    form->addRow(tr("&User name:"), m_username);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_remember);
    form->addRow(tr("Colour:"), buildColourRow());
    form->addRow(QString(), m_production);
    form->addRow(QString(), productionNote);
    form->addRow(QString(), m_readOnly);

    connect(m_connectionString, &QLineEdit::textChanged, this, &ConnectionDialog::validate);
    connect(m_name, &QLineEdit::textChanged, this, &ConnectionDialog::validate);
    return editor;
}

QWidget *ConnectionDialog::buildColourRow()
{
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    m_swatches = new QButtonGroup(row);
    m_swatches->setExclusive(true);
    for (const QString &c : kPresetColours) {
        auto *b = new QToolButton(row);
        b->setCheckable(true);
        b->setIcon(swatch(c, 18));
        b->setIconSize(QSize(18, 18));
        b->setToolTip(c);
        b->setProperty("colour", c);
        m_swatches->addButton(b);
        layout->addWidget(b);
        connect(b, &QToolButton::clicked, this, [this, c]() { setColour(c); });
    }
    m_customColour = new QPushButton(tr("Custom…"), row);
    m_customColour->setObjectName(QStringLiteral("customColour"));
    m_customColour->setAutoDefault(false);
    connect(m_customColour, &QPushButton::clicked, this, [this]() {
        const QColor c = QColorDialog::getColor(QColor(m_colour), this, tr("Profile colour"));
        if (c.isValid())
            setColour(c.name());
    });
    layout->addWidget(m_customColour);
    layout->addStretch(1);
    return row;
}

void ConnectionDialog::setColour(const QString &colour)
{
    m_colour = colour;
    bool preset = false;
    for (QAbstractButton *b : m_swatches->buttons()) {
        const bool match = b->property("colour").toString() == colour;
        b->setChecked(match);
        preset = preset || match;
    }
    // A custom colour shows on its button, so the choice is never invisible.
    m_customColour->setIcon(preset ? QIcon() : swatch(colour));
}

void ConnectionDialog::reloadList(const QString &select)
{
    const QSignalBlocker block(m_list);
    m_list->clear();
    for (const ConnectionProfile &p : m_profiles->profiles()) {
        auto *item = new QListWidgetItem(swatch(p.colour), p.name, m_list);
        item->setData(kProductionRole, p.production);
        item->setToolTip(p.connectionString);
        if (p.name == select)
            m_list->setCurrentItem(item);
    }
}

void ConnectionDialog::selectProfile(const QString &name)
{
    const QList<QListWidgetItem *> items = m_list->findItems(name, Qt::MatchExactly);
    if (!items.isEmpty())
        m_list->setCurrentItem(items.first());
}

void ConnectionDialog::loadProfile(const ConnectionProfile &p)
{
    m_loadedName = p.name;
    m_name->setText(p.name);
    m_connectionString->setText(p.connectionString);
    m_username->setText(p.username);
    m_password->clear(); // never pre-filled: it lives in the keychain only
    setColour(p.colour);
    m_production->setChecked(p.production);
    m_readOnly->setChecked(p.readOnly);
    m_delete->setEnabled(true);
    setStatus({}, false);
    validate();
}

void ConnectionDialog::newProfile()
{
    {
        const QSignalBlocker block(m_list);
        m_list->clearSelection();
        m_list->setCurrentItem(nullptr);
    }
    loadProfile(ConnectionProfile());
    m_loadedName.clear();
    m_delete->setEnabled(false);
    m_name->setFocus();
}

ConnectionProfile ConnectionDialog::editedProfile() const
{
    ConnectionProfile p;
    p.name = m_name->text().trimmed();
    QString userInString;
    p.connectionString = ConnectionProfiles::stripCredentials(m_connectionString->text(), &userInString);
    p.username = m_username->text().trimmed().isEmpty() ? userInString : m_username->text().trimmed();
    p.colour = m_colour;
    p.production = m_production->isChecked();
    p.readOnly = m_readOnly->isChecked();
    if (const auto saved = m_profiles->profile(p.name))
        p.lastUsed = saved->lastUsed;
    return p;
}

void ConnectionDialog::validate()
{
    const QString text = m_connectionString->text();
    const ConnectionString::Result parsed = ConnectionString::parse(text);
    const bool empty = text.trimmed().isEmpty();
    if (empty) {
        m_error->setText(tr("Enter a connection string (the grey text shows the form)."));
        m_error->setForegroundRole(QPalette::PlaceholderText);
    } else {
        m_error->setText(parsed.ok() ? QString() : tr("✖ %1").arg(parsed.error));
        m_error->setForegroundRole(QPalette::WindowText);
    }
    m_error->setVisible(!parsed.ok());
    m_summary->setText(parsed.ok() ? summaryOf(parsed.settings) : QString());
    m_summary->setVisible(parsed.ok());
    m_connect->setEnabled(parsed.ok());
    m_save->setEnabled(parsed.ok() && !m_name->text().trimmed().isEmpty());
}

bool ConnectionDialog::saveProfile()
{
    const ConnectionProfile p = editedProfile();
    const bool renaming = !m_loadedName.isEmpty() && m_loadedName != p.name;
    QString error;
    if (renaming || m_loadedName.isEmpty()) {
        if (m_profiles->contains(p.name))
            error = tr("a profile named '%1' already exists").arg(p.name);
        else if (renaming)
            error = m_profiles->rename(m_loadedName, p.name);
    }
    if (error.isEmpty())
        error = m_profiles->save(p);
    if (!error.isEmpty()) {
        setStatus(tr("Not saved: %1").arg(error), true);
        return false;
    }
    if (renaming) {
        // The keychain entry is keyed by profile name: move it (asynchronously) with the profile.
        const QString from = m_loadedName, to = p.name;
        QPointer<CredentialStore> store = m_store;
        m_store->readPassword(from, [store, from, to](const CredentialStore::Result &r) {
            if (!store || r.status != CredentialStore::Status::Ok)
                return;
            store->writePassword(to, r.password, [store, from](const CredentialStore::Result &w) {
                if (store && w.status == CredentialStore::Status::Ok)
                    store->deletePassword(from, [](const CredentialStore::Result &) {});
            });
        });
    }
    m_loadedName = p.name;
    reloadList(p.name);
    m_delete->setEnabled(true);
    setStatus(tr("Saved profile '%1' (without password).").arg(p.name), false);

    // The password (typed, or taken from the string) goes to the keychain only.
    QString password = m_password->text();
    if (password.isEmpty())
        password = ConnectionString::parse(m_connectionString->text()).settings.password;
    if (m_remember->isChecked() && !password.isEmpty() && !p.username.isEmpty()) {
        QPointer<ConnectionDialog> self = this;
        m_store->writePassword(p.name, password, [self, name = p.name](const CredentialStore::Result &r) {
            if (!self)
                return;
            if (r.status == CredentialStore::Status::Ok) {
                self->setStatus(tr("Saved profile '%1'; password stored in the system keychain.").arg(name), false);
            } else {
                self->setStatus(r.message, true);
                Q_EMIT self->notice(r.message);
            }
        });
    }
    return true;
}

void ConnectionDialog::deleteProfile()
{
    if (m_loadedName.isEmpty())
        return;
    const QString name = m_loadedName;
    if (const QString err = m_profiles->remove(name); !err.isEmpty()) {
        setStatus(tr("Not deleted: %1").arg(err), true);
        return;
    }
    m_store->deletePassword(name, [](const CredentialStore::Result &) {});
    reloadList();
    newProfile();
    setStatus(tr("Deleted profile '%1'.").arg(name), false);
}

void ConnectionDialog::connectClicked()
{
    const ConnectionString::Result parsed = ConnectionString::parse(m_connectionString->text());
    if (!parsed.ok())
        return; // the button is disabled then; Enter on a bad string does nothing
    // A named profile is saved first so that it appears in Recent Connections.
    if (!m_name->text().trimmed().isEmpty() && !saveProfile())
        return;
    m_request.profile = editedProfile();
    m_request.password = m_password->text().isEmpty() ? parsed.settings.password : m_password->text();
    m_request.rememberPassword = m_remember->isChecked();
    accept();
}

void ConnectionDialog::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    QPalette p = palette();
    if (error)
        p.setColor(QPalette::WindowText, kErrorRed);
    m_status->setPalette(p);
}

QString ConnectionDialog::statusText() const
{
    return m_status->text();
}

} // namespace chronoscope::views
