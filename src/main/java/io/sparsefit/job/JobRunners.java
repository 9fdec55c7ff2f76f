package io.sparsefit.job;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The {@link JobRunner} beans by kind: which feature runs, names and keeps a job of a given kind. */
@Component
class JobRunners {

    private final Map<String, JobRunner> byKind;

    JobRunners(List<JobRunner> runners) {
        this.byKind = runners.stream().collect(Collectors.toUnmodifiableMap(r -> r.kind().name(), Function.identity()));
    }

    Optional<JobRunner> find(String kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    Iterable<JobRunner> all() {
        return byKind.values();
    }
}
