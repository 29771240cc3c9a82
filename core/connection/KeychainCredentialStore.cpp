#include "connection/KeychainCredentialStore.h"

#include <qt6keychain/keychain.h>

namespace chronoscope {
namespace {

CredentialStore::Result resultOf(const QKeychain::Job &job)
{
    CredentialStore::Result r;
    switch (job.error()) {
    case QKeychain::NoError:
        r.status = CredentialStore::Status::Ok;
        return r;
    case QKeychain::EntryNotFound:
        r.status = CredentialStore::Status::NotFound;
        return r;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        r.status = CredentialStore::Status::Unavailable;
        break;
    case QKeychain::OtherError:
        // Without a D-Bus session or secret service, libsecret/KWallet fail as OtherError.
        r.status = CredentialStore::Status::Unavailable;
        break;
    default:
        r.status = CredentialStore::Status::Failed;
        break;
    }
    r.message = job.errorString();
    return r;
}

template<typename JobT>
void run(JobT *job, const QString &key, std::function<void(JobT *)> finish)
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text file
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, job, [job, finish](QKeychain::Job *) { finish(job); });
    job->start();
}

} // namespace

KeychainCredentialStore::KeychainCredentialStore(const QString &service, QObject *parent)
    : CredentialStore(parent)
    , m_service(service)
{
}

void KeychainCredentialStore::readPassword(const QString &key, Callback done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    run<QKeychain::ReadPasswordJob>(job, key, [done](QKeychain::ReadPasswordJob *j) {
        Result r = resultOf(*j);
        if (r.status == Status::Ok)
            r.password = j->textData();
        done(r);
    });
}

void KeychainCredentialStore::writePassword(const QString &key, const QString &password, Callback done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setTextData(password);
    run<QKeychain::WritePasswordJob>(job, key, [done](QKeychain::WritePasswordJob *j) { done(resultOf(*j)); });
}

void KeychainCredentialStore::deletePassword(const QString &key, Callback done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    run<QKeychain::DeletePasswordJob>(job, key, [done](QKeychain::DeletePasswordJob *j) {
        Result r = resultOf(*j);
        if (r.status == Status::NotFound)
            r.status = Status::Ok; // nothing to delete is what was asked for
        done(r);
    });
}

} // namespace chronoscope
