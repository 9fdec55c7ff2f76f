package io.sparsefit.model;

import io.sparsefit.core.kernel.Kernels;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;

/** The versions a model's provenance records: the application (build-info), the kernel set, Java and the OS. */
@Component
class SoftwareVersions {

    private final String application;

    SoftwareVersions(ObjectProvider<BuildProperties> build) {
        this.application = Optional.ofNullable(build.getIfAvailable()).map(BuildProperties::getVersion)
                .or(() -> Optional.ofNullable(SoftwareVersions.class.getPackage().getImplementationVersion()))
                .orElse("unknown");
    }

    String application() {
        return application;
    }

    String kernels() {
        return Kernels.name();
    }

    String java() {
        return System.getProperty("java.version");
    }

    String os() {
        return System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }
}
