package io.sparsefit.support;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Test-only endpoint that fails with an unexpected exception, to check the catch-all 500. */
@Hidden
@RestController
class BoomController {

    @GetMapping("/test-only/boom")
    String boom() {
        throw new IllegalStateException("secret internal detail at com.example.Secret.method(Secret.java:42)");
    }
}
