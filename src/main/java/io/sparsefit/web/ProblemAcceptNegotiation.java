package io.sparsefit.web;

import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * An {@code Accept} header that names only {@code application/problem+json} says how the client wants its errors
 * (RFC 9457, section 3), not that it refuses the resource: generated clients (openapi-generator's Python client
 * picks the first JSON type an operation lists) send exactly that to the event stream, the SVG plots and the model
 * export, whose only JSON type is the error's. Such a request gets the resource in its own type, as RFC 9110
 * (section 12.5.1) allows, instead of 406; errors stay problem+json. Any other {@code Accept} is negotiated as sent.
 */
@Configuration(proxyBeanMethods = false)
class ProblemAcceptNegotiation implements WebMvcConfigurer {

    private static final MediaType ANY_ELSE = MediaType.parseMediaType("*/*;q=0.1");

    @Override
    public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
        configurer.strategies(List.of(new HeaderContentNegotiationStrategy() {
            @Override
            public List<MediaType> resolveMediaTypes(NativeWebRequest request) throws HttpMediaTypeNotAcceptableException {
                List<MediaType> accepted = super.resolveMediaTypes(request);
                if (!accepted.isEmpty() && accepted.stream().allMatch(MediaType.APPLICATION_PROBLEM_JSON::equalsTypeAndSubtype)) {
                    List<MediaType> widened = new ArrayList<>(accepted);
                    widened.add(ANY_ELSE);
                    return widened;
                }
                return accepted;
            }
        }));
    }
}
