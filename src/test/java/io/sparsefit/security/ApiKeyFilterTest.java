package io.sparsefit.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.web.Caller;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/** The filter alone: which paths need a key, both headers, the caller it sets, and the per-key rate limit (429 + Retry-After). */
class ApiKeyFilterTest {

    private static final String KEY = "a-long-enough-secret-key";

    private static ApiKeyFilter filter(double rps, int burst) {
        SparsefitProperties.Security security = new SparsefitProperties.Security(
                List.of(new SparsefitProperties.ApiKey("k1", KEY, null, false)),
                new SparsefitProperties.PerKey(rps, burst, 0, 0, DataSize.ofBytes(0)));
        SparsefitProperties properties = new SparsefitProperties("unused",
                new SparsefitProperties.Fits(1, 1, java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(1),
                        java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(5), 3, true, java.time.Duration.ofSeconds(1),
                        java.time.Duration.ofMinutes(1)),
                new SparsefitProperties.Limits(1, 1, 1, 1, 1, DataSize.ofMegabytes(1), 1, 1, java.time.Duration.ofSeconds(1),
                        java.time.Duration.ofHours(1), DataSize.ofBytes(0), 1, 0, java.time.Duration.ofSeconds(10)),
                security, SparsefitProperties.Retention.off());
        return new ApiKeyFilter(properties, JsonMapper.builder().build());
    }

    private static MockHttpServletResponse call(ApiKeyFilter filter, String uri, String header, String value,
                                                AtomicReference<Object> caller) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
        if (header != null) {
            request.addHeader(header, value);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain() {
            @Override
            public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res) {
                caller.set(req.getAttribute(Caller.ATTRIBUTE));
            }
        });
        return response;
    }

    @Test
    void bothHeadersAuthenticateAndSetTheCaller() throws Exception {
        ApiKeyFilter f = filter(0, 0);
        AtomicReference<Object> caller = new AtomicReference<>();
        assertThat(call(f, "/v1/fits", "Authorization", "Bearer " + KEY, caller).getStatus()).isEqualTo(200);
        assertThat(caller.get()).isEqualTo(new Caller("k1", false));
        caller.set(null);
        assertThat(call(f, "/v1/fits", "X-API-Key", KEY, caller).getStatus()).isEqualTo(200);
        assertThat(caller.get()).isEqualTo(new Caller("k1", false));

        MockHttpServletResponse refused = call(f, "/v1/fits", "Authorization", "Basic " + KEY, caller);
        assertThat(refused.getStatus()).isEqualTo(401);
        assertThat(refused.getContentType()).isEqualTo("application/problem+json");
        assertThat(refused.getContentAsString()).contains("\"status\":401").doesNotContain(KEY);
    }

    @Test
    void onlyTheApiAndTheNonProbeActuatorNeedAKey() {
        assertThat(ApiKeyFilter.isProtected("/v1/datasets")).isTrue();
        assertThat(ApiKeyFilter.isProtected("/v2/models/x/infer")).isTrue();
        assertThat(ApiKeyFilter.isProtected("/v2")).isTrue();
        assertThat(ApiKeyFilter.isProtected("/actuator/prometheus")).isTrue();
        assertThat(ApiKeyFilter.isProtected("/actuator/health/readiness")).isFalse();
        assertThat(ApiKeyFilter.isProtected("/actuator/health")).isFalse();
        assertThat(ApiKeyFilter.isProtected("/v2/health/ready")).isFalse();
        assertThat(ApiKeyFilter.isProtected("/")).isFalse();
        assertThat(ApiKeyFilter.isProtected("/v3/api-docs")).isFalse();
        assertThat(ApiKeyFilter.isProtected("/v1x")).isFalse();
    }

    @Test
    void aKeyBeyondItsRateIs429WithRetryAfter() throws Exception {
        // 1 request per second sustained, a burst of 3: the 4th request at once is refused.
        ApiKeyFilter f = filter(1, 3);
        AtomicReference<Object> caller = new AtomicReference<>();
        for (int i = 0; i < 3; i++) {
            assertThat(call(f, "/v1/fits", "X-API-Key", KEY, caller).getStatus()).isEqualTo(200);
        }
        MockHttpServletResponse limited = call(f, "/v1/fits", "X-API-Key", KEY, caller);
        assertThat(limited.getStatus()).isEqualTo(429);
        assertThat(limited.getContentType()).isEqualTo("application/problem+json");
        assertThat(Long.parseLong(limited.getHeader("Retry-After"))).isBetween(1L, 2L);
        // A request without a key is 401, not counted against the key.
        assertThat(call(f, "/v1/fits", null, null, caller).getStatus()).isEqualTo(401);
    }
}
