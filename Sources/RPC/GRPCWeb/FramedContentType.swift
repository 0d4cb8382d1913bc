import Foundation

/// The content types of the protocols that frame messages like gRPC but are not gRPC:
/// gRPC-Web (binary, JSON, base64 text) and Connect streaming. The answer uses the request's
/// media type.
struct FramedContentType {
    let dialect: FramedDialect
    let isJSON: Bool
    /// `application/grpc-web-text`: the body is base64, both ways.
    let isText: Bool
    let mediaType: String

    init?(_ contentType: String) {
        let mediaType = (contentType.split(separator: ";", maxSplits: 1).first ?? "")
            .trimmingCharacters(in: .whitespaces).lowercased()
        switch mediaType {
        case "application/grpc-web", "application/grpc-web+proto":
            (self.dialect, self.isJSON, self.isText) = (.grpcWeb, false, false)
        case "application/grpc-web+json":
            (self.dialect, self.isJSON, self.isText) = (.grpcWeb, true, false)
        case "application/grpc-web-text", "application/grpc-web-text+proto":
            (self.dialect, self.isJSON, self.isText) = (.grpcWeb, false, true)
        case "application/connect+proto":
            (self.dialect, self.isJSON, self.isText) = (.connect, false, false)
        case "application/connect+json":
            (self.dialect, self.isJSON, self.isText) = (.connect, true, false)
        default:
            return nil
        }
        self.mediaType = mediaType
    }
}
