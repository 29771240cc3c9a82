#include "payload/ProtobufSchema.h"

#include <QCoreApplication>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/json_util.h>

#include <climits>
#include <set>
#include <vector>

namespace chronoscope {

namespace pb = google::protobuf;

namespace {

QString tr(const char *s) { return QCoreApplication::translate("ProtobufSchema", s); }

QString qs(const std::string &s) { return QString::fromStdString(s); }

/// Keeps the pool's first few build errors instead of letting protobuf log them.
class CollectErrors : public pb::DescriptorPool::ErrorCollector
{
public:
    QStringList errors;
    void AddError(const std::string &file, const std::string &element, const pb::Message *, ErrorLocation,
                  const std::string &message) override
    {
        if (errors.size() < 3)
            errors.append(QStringLiteral("%1: %2: %3").arg(qs(file), qs(element), qs(message)));
    }
};

/// A descriptor set made without --include_imports lacks the well-known types it imports;
/// protobuf carries those itself, so they are added rather than refused.
void addWellKnownImports(std::vector<pb::FileDescriptorProto> &files)
{
    std::set<std::string> have;
    for (const auto &f : files)
        have.insert(f.name());
    for (size_t i = 0; i < files.size(); ++i) {
        for (int j = 0; j < files[i].dependency_size(); ++j) {
            const std::string dep = files[i].dependency(j);
            if (have.count(dep))
                continue;
            if (const pb::FileDescriptor *known = pb::DescriptorPool::generated_pool()->FindFileByName(dep)) {
                pb::FileDescriptorProto copy;
                known->CopyTo(&copy);
                files.push_back(std::move(copy)); // i < size() keeps walking into its imports
                have.insert(dep);
            }
        }
    }
}

/// Why files were left unbuilt: an import the set lacks, else a cycle.
QString whyNotBuilt(const std::vector<pb::FileDescriptorProto> &files,
                    const std::vector<const pb::FileDescriptorProto *> &pending)
{
    std::set<std::string> inSet;
    for (const auto &f : files)
        inSet.insert(f.name());
    for (const pb::FileDescriptorProto *f : pending)
        for (const std::string &dep : f->dependency())
            if (!inSet.count(dep))
                return tr("%1 imports %2, which the descriptor set does not contain (protoc --include_imports adds it)")
                    .arg(qs(f->name()), qs(dep));
    return tr("%1 is part of an import cycle").arg(qs(pending.front()->name()));
}

} // namespace

struct ProtobufSchema::Impl
{
    pb::DescriptorPool pool;
    pb::DynamicMessageFactory factory; // declared after the pool: its prototypes go first
};

ProtobufSchema::ProtobufSchema() : d(std::make_unique<Impl>()) {}
ProtobufSchema::~ProtobufSchema() = default;

std::shared_ptr<const ProtobufSchema> ProtobufSchema::load(const QByteArray &descriptorSet, QString *error)
{
    const QString hint = tr(" (make one with protoc --descriptor_set_out=FILE --include_imports)");
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::shared_ptr<const ProtobufSchema>();
    };
    try {
        if (descriptorSet.isEmpty())
            return fail(tr("The file is empty") + hint);
        pb::FileDescriptorSet set;
        // Partial parse plus our own checks: protobuf would log rather than say why.
        if (descriptorSet.size() > INT_MAX
            || !set.ParsePartialFromArray(descriptorSet.constData(), int(descriptorSet.size()))
            || !set.IsInitialized() || set.file_size() == 0 || !set.unknown_fields().empty())
            return fail(tr("Not a protobuf descriptor set") + hint);
        std::vector<pb::FileDescriptorProto> files(set.file().begin(), set.file().end());
        for (const auto &f : files)
            if (f.name().empty() || !f.unknown_fields().empty())
                return fail(tr("Not a protobuf descriptor set") + hint);
        addWellKnownImports(files);

        std::shared_ptr<ProtobufSchema> schema(new ProtobufSchema);
        pb::DescriptorPool &pool = schema->d->pool;
        // A set lists imports first, but one put together by hand may not: build what is ready
        // until nothing more is.
        std::vector<const pb::FileDescriptorProto *> pending;
        for (const auto &f : files)
            pending.push_back(&f);
        for (bool progress = true; progress && !pending.empty();) {
            progress = false;
            for (auto it = pending.begin(); it != pending.end();) {
                const pb::FileDescriptorProto &f = **it;
                bool ready = true;
                for (int j = 0; j < f.dependency_size() && ready; ++j)
                    ready = pool.FindFileByName(f.dependency(j)) != nullptr;
                if (!ready) {
                    ++it;
                    continue;
                }
                CollectErrors errors;
                if (!pool.BuildFileCollectingErrors(f, &errors))
                    return fail(tr("%1 does not build: %2").arg(qs(f.name()), errors.errors.join(QStringLiteral("; "))));
                it = pending.erase(it);
                progress = true;
            }
        }
        if (!pending.empty())
            return fail(whyNotBuilt(files, pending));
        for (const auto &f : files) {
            const pb::FileDescriptor *fd = pool.FindFileByName(f.name());
            for (int i = 0; fd && i < fd->message_type_count(); ++i)
                schema->m_messageTypes.append(qs(fd->message_type(i)->full_name()));
        }
        schema->m_messageTypes.sort();
        if (error)
            error->clear();
        return schema;
    } catch (const std::exception &e) {
        return fail(tr("Could not load the descriptor set: %1").arg(QString::fromLocal8Bit(e.what())));
    }
}

bool ProtobufSchema::contains(const QString &fullName) const
{
    return d->pool.FindMessageTypeByName(fullName.toStdString()) != nullptr;
}

QStringList ProtobufSchema::named(const QString &simpleName) const
{
    QStringList out;
    for (const QString &full : m_messageTypes)
        if (full == simpleName || full.endsWith(QLatin1Char('.') + simpleName))
            out.append(full);
    return out;
}

ProtobufSchema::Parsed ProtobufSchema::parse(const QString &messageType, const QByteArray &bytes, Output output) const
{
    Parsed r;
    try {
        const pb::Descriptor *type = d->pool.FindMessageTypeByName(messageType.toStdString());
        const pb::Message *prototype = type ? d->factory.GetPrototype(type) : nullptr;
        if (!prototype) {
            r.error = tr("No message type %1 in the descriptor set").arg(messageType);
            return r;
        }
        std::unique_ptr<pb::Message> message(prototype->New());
        // Bad bytes are expected input here, and the reason is returned: keep protobuf from also
        // logging it (invalid UTF-8 in a string field would print a line per payload).
        const pb::LogSilencer quiet;
        if (bytes.size() > INT_MAX || !message->ParsePartialFromArray(bytes.constData(), int(bytes.size()))) {
            r.error = tr("The bytes are not a %1 message").arg(messageType);
            return r;
        }
        if (!message->IsInitialized()) {
            r.error = tr("The bytes are not a whole %1 message: missing %2")
                          .arg(messageType, qs(message->InitializationErrorString()));
            return r;
        }
        // Fields the schema does not define are kept aside by the parser; dropping them is the
        // simplest way to tell whether there were any, at any depth.
        const size_t size = message->ByteSizeLong();
        message->DiscardUnknownFields();
        r.unknownFields = message->ByteSizeLong() != size;
        if (output == Output::Json) {
            pb::util::JsonPrintOptions options;
            options.preserve_proto_field_names = true;
            // An inspector shows zeros and empty strings too: a missing field reads as "not sent".
            options.always_print_primitive_fields = true;
            std::string json;
            const pb::util::Status status = pb::util::MessageToJsonString(*message, &json, options);
            if (!status.ok()) {
                r.error = tr("%1 does not convert to JSON: %2").arg(messageType, qs(status.ToString()));
                return r;
            }
            r.json = QByteArray::fromStdString(json);
        }
        r.ok = true;
    } catch (const std::exception &e) {
        r = Parsed();
        r.error = tr("Could not decode %1: %2").arg(messageType, QString::fromLocal8Bit(e.what()));
    }
    return r;
}

} // namespace chronoscope
