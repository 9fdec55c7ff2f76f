package io.sparsefit.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Registers the typed {@code sparsefit.*} properties. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({SparsefitProperties.class, UploadProperties.class})
class PropertiesConfig {
}
