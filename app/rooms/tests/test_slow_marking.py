"""Tests that run code beside themselves are found from their code, and marked slow."""

from . import test_api_hardening_deploy, test_read_models_transactions, test_registry
from .slow import runs_code_elsewhere


def test_a_test_that_starts_threads_is_found():
    module = test_read_models_transactions
    assert runs_code_elsewhere(
        module.test_at_commit_the_view_waits_for_the_app_table_not_the_other_way
    )


def test_a_test_that_runs_a_program_through_helpers_is_found():
    """check_deploy() -> project.manage() -> subprocess.run()."""
    test = (
        test_api_hardening_deploy.test_check_deploy_is_clean_with_the_documented_production_settings
    )
    assert runs_code_elsewhere(test)


def test_a_test_that_runs_in_its_own_thread_is_not():
    assert not runs_code_elsewhere(test_registry.test_the_api_root_lists_every_endpoint_in_order)
    assert not runs_code_elsewhere(test_slow_marking_is_itself_fast)


def test_slow_marking_is_itself_fast(request):
    assert request.node.get_closest_marker("slow") is None
