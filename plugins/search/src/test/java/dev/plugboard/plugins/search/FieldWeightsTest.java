package dev.plugboard.plugins.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FieldWeightsTest {

    @Test
    void readsFieldsAndWeightsAndLeavesTheRestAtZero() {
        FieldWeights w = FieldWeights.parse(" all = 1 , Name=0.5,parameters=0.25");
        assertThat(w.of(CatalogIndex.ALL)).isEqualTo(1f);
        assertThat(w.of(CatalogIndex.NAME)).isEqualTo(0.5f);
        assertThat(w.of(CatalogIndex.PARAMS)).isEqualTo(0.25f);
        assertThat(w.of(CatalogIndex.DESCRIPTION)).isZero();
    }

    @Test
    void theDefaultWeighsTheWholeEntryMost() {
        assertThat(FieldWeights.DEFAULT.of(CatalogIndex.ALL)).isEqualTo(1f);
        assertThat(FieldWeights.DEFAULT.of(CatalogIndex.NAME)).isEqualTo(0.5f);
    }

    @Test
    void rejectsWhatMakesNoSenseWithAReason() {
        assertThatThrownBy(() -> FieldWeights.parse("body=1")).hasMessageContaining("unknown field 'body'");
        assertThatThrownBy(() -> FieldWeights.parse("name")).hasMessageContaining("not field=weight");
        assertThatThrownBy(() -> FieldWeights.parse("name=heavy")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> FieldWeights.parse("name=-1")).hasMessageContaining("non-negative");
        assertThatThrownBy(() -> FieldWeights.parse("name=0,all=0")).hasMessageContaining("above zero");
        assertThatThrownBy(() -> FieldWeights.parse("")).hasMessageContaining("above zero");
    }
}
