import Testing

@testable import Clerk

@Suite struct BearerTokenTests {
    @Test func bearerHeaderWithAnyCaseOfTheScheme() {
        for header in ["Bearer abc.def.ghi", "bearer abc.def.ghi", "BEARER   abc.def.ghi", " Bearer\tabc.def.ghi  ", "Bearer \t abc.def.ghi\t"] {
            #expect(BearerToken.extract(authorization: header, cookie: nil) == "abc.def.ghi", "\(header)")
        }
    }

    @Test func otherSchemesAndEmptyBearersGiveNothing() {
        for header in ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearerabc.def.ghi", "abc.def.ghi", "", "Bëarer abc.def.ghi", "Bearer \t ", "@earer abc"] {
            #expect(BearerToken.extract(authorization: header, cookie: nil) == nil, "\(header)")
        }
    }

    @Test func sessionCookieWhenThereIsNoBearer() {
        #expect(BearerToken.extract(authorization: nil, cookie: "__session=abc.def.ghi") == "abc.def.ghi")
        #expect(BearerToken.extract(authorization: nil, cookie: "__client_uat=1718028000; __session=abc.def.ghi; theme=dark") == "abc.def.ghi")
        #expect(BearerToken.extract(authorization: nil, cookie: "a=b;__session=\"abc.def.ghi\"") == "abc.def.ghi")
        #expect(BearerToken.extract(authorization: "Basic x", cookie: "__session=abc.def.ghi") == "abc.def.ghi")
    }

    @Test func bearerWinsOverTheCookie() {
        #expect(BearerToken.extract(authorization: "Bearer from.header.x", cookie: "__session=from.cookie.y") == "from.header.x")
    }

    @Test func lookalikeCookiesAreNotTheSession() {
        for cookie in ["__session_abc=x.y.z", "__Session=x.y.z", "session=x.y.z", "__session=", "__session", "x__session=x.y.z", ""] {
            #expect(BearerToken.extract(authorization: nil, cookie: cookie) == nil, "\(cookie)")
        }
        #expect(BearerToken.extract(authorization: nil, cookie: nil) == nil)
    }
}
