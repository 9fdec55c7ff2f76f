package io.sparsefit;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the sparsefit service. The numerical core lives in {@code io.sparsefit.core}. */
@SpringBootApplication
public class SparsefitApplication {

    public static void main(String[] args) {
        SpringApplication.run(SparsefitApplication.class, args);
    }
}
