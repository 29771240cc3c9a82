#include "client/AppendResponse.h"

#include "streams.pb.h"

namespace chronoscope {

namespace spb = event_store::client::streams;

AppendResult appendResultFrom(const spb::AppendResp &resp, const QByteArray &stream, const ExpectedState &expected)
{
    AppendResult result;
    if (resp.has_success()) {
        const auto &s = resp.success();
        if (s.current_revision_option_case() == spb::AppendResp::Success::kCurrentRevision)
            result.nextExpectedRevision = s.current_revision();
        if (s.position_option_case() == spb::AppendResp::Success::kPosition)
            result.position = Position{s.position().commit_position(), s.position().prepare_position()};
    } else if (resp.has_wrong_expected_version()) {
        const auto &w = resp.wrong_expected_version();
        ClientError &e = result.error;
        e.kind = ClientError::Kind::WrongExpectedVersion;
        e.grpcCode = 9;
        e.streamName = stream;
        using W = spb::AppendResp::WrongExpectedVersion;
        if (w.current_revision_option_case() == W::kCurrentRevision)
            e.actualRevision = w.current_revision();
        else if (w.current_revision_option_case() == W::CURRENT_REVISION_OPTION_NOT_SET
                 && w.current_revision_option_20_6_0_case() == W::kCurrentRevision2060)
            e.actualRevision = w.current_revision_20_6_0();
        switch (w.expected_revision_option_case()) {
        case W::kExpectedRevision: e.expected = ExpectedState::at(w.expected_revision()); break;
        case W::kExpectedNoStream: e.expected = ExpectedState::noStream(); break;
        case W::kExpectedStreamExists: e.expected = ExpectedState::streamExists(); break;
        default: e.expected = expected; break;
        }
        e.message = QStringLiteral("Append failed due to WrongExpectedVersion. Stream: %1, Expected version: %2, "
                                   "Actual version: %3")
                        .arg(QString::fromUtf8(stream), e.expected.toString(),
                             e.actualRevision ? QString::number(*e.actualRevision) : QStringLiteral("no_stream"));
    } else {
        result.error = ClientError::protocol(QStringLiteral("append response had neither success nor "
                                                            "wrong_expected_version"));
    }
    return result;
}

} // namespace chronoscope
