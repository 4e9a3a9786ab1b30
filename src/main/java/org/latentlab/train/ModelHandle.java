package org.latentlab.train;

import org.latentlab.model.ModelCard;
import org.latentlab.model.VaeSpec;

/**
 * Immutable reference to a model held by a {@link ModelService}: readable on any thread. The id
 * stays the same for the model's life; after training or saving the service hands out a new
 * handle with the updated card.
 */
public record ModelHandle(long id, VaeSpec spec, ModelCard card) {
    public String name() {
        return card.name();
    }
}
