package io.sparsefit.web;

import io.sparsefit.config.SparsefitProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/** Runs the HTTP connector on {@link HeaderDeadlineProtocol} with {@code sparsefit.limits.header-read-timeout}. */
@Component
class HeaderDeadlineConfig implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final long headerReadTimeoutMs;

    HeaderDeadlineConfig(SparsefitProperties properties) {
        this.headerReadTimeoutMs = properties.limits().headerReadTimeout().toMillis();
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.setProtocol(HeaderDeadlineProtocol.class.getName());
        factory.addConnectorCustomizers(connector -> {
            if (connector.getProtocolHandler() instanceof HeaderDeadlineProtocol protocol) {
                protocol.setHeaderReadTimeout(headerReadTimeoutMs);
            }
        });
    }
}
