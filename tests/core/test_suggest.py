from __future__ import annotations

from connect_policy.catalog.suggest import best_matches, edit_distance, words


def test_words_split_camel_case_and_acronyms() -> None:
    assert words("UpdateCampaignDialerConfig") == ("update", "campaign", "dialer", "config")
    assert words("GetAIAgent") == ("get", "ai", "agent")


def test_transposition_counts_once() -> None:
    assert edit_distance("integartions", "integrations") == 1


def test_best_matches_rank_word_level_and_typos() -> None:
    names = ["UpdateCampaignDialerConfig", "UpdateCampaignName", "DeleteCampaign"]
    assert best_matches("UpdateDialerConfig", names) == ["UpdateCampaignDialerConfig"]
    assert best_matches("DeleteCampagn", names) == ["DeleteCampaign"]
    assert best_matches("Frobnicate", names) == []
