import OutboundHTTP
public import Foundation

/// One recording as Stream describes it, in `call.recording_ready` (`call_recording`) and in
/// `GET …/recordings` (providers.md §3.3, §4.2). `url` is signed and expires.
public struct StreamRecording: Sendable, Equatable {
    public var filename: String
    public var url: String
    public var startTime: Date?
    public var endTime: Date?
    public var sessionID: String?
    public var recordingType: String?

    public init(
        filename: String, url: String, startTime: Date? = nil, endTime: Date? = nil, sessionID: String? = nil,
        recordingType: String? = nil
    ) {
        self.filename = filename
        self.url = url
        self.startTime = startTime
        self.endTime = endTime
        self.sessionID = sessionID
        self.recordingType = recordingType
    }

    /// When the signed URL stops working, read from its query: `Expires=<unix seconds>`
    /// (CloudFront, what Stream's CDN links carry) or `X-Amz-Date` + `X-Amz-Expires` (S3
    /// presigned). nil when the URL says nothing; callers then assume a short life.
    public var urlExpiry: Date? {
        guard let items = URLComponents(string: self.url)?.queryItems else { return nil }
        func value(_ name: String) -> String? { items.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value }
        if let expires = value("Expires").flatMap(Int64.init) {
            return Date(timeIntervalSince1970: TimeInterval(expires))
        }
        if let signedAt = value("X-Amz-Date").flatMap(Self.amzDate), let seconds = value("X-Amz-Expires").flatMap(Int.init) {
            return signedAt.addingTimeInterval(TimeInterval(seconds))
        }
        return nil
    }

    /// `20250617T093402Z`
    private static func amzDate(_ text: String) -> Date? {
        guard text.count == 16 else { return nil }
        let chars = Array(text)
        let iso = "\(String(chars[0..<4]))-\(String(chars[4..<6]))-\(String(chars[6..<8]))T"
            + "\(String(chars[9..<11])):\(String(chars[11..<13])):\(String(chars[13..<15]))Z"
        return StreamTimestamp.parse(iso)
    }
}

/// The wire shape of a recording (`CallRecording`), decoded leniently: only `filename` and
/// `url` are required.
struct RecordingBody: Decodable {
    var filename: String
    var url: String
    var start_time: String?
    var end_time: String?
    var session_id: String?
    var recording_type: String?

    func recording() throws(ProviderError) -> StreamRecording {
        func time(_ text: String?, _ field: String) throws(ProviderError) -> Date? {
            guard let text else { return nil }
            guard let date = StreamTimestamp.parse(text) else {
                throw ProviderError(.stream, .malformedPayload, "\(field) is not an RFC 3339 timestamp")
            }
            return date
        }
        return StreamRecording(
            filename: self.filename, url: self.url, startTime: try time(self.start_time, "start_time"),
            endTime: try time(self.end_time, "end_time"), sessionID: self.session_id, recordingType: self.recording_type)
    }
}
