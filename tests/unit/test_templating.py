"""The console's template environments: literal messages translated as a template compiles,
the rest as it renders, and either escaped like any other text."""

from __future__ import annotations

import pytest

from sellerflow.web.templating import environment_for


@pytest.fixture(scope="module")
def chinese():
    return environment_for("zh_CN")


def test_a_literal_message_is_translated_when_the_template_compiles(chinese) -> None:
    template = chinese.from_string('<h1>{{ _("Manage Orders") }}</h1>'
                                   '<nav aria-label="{{ _(\'Main\') }}"></nav>')
    assert template.render() == '<h1>管理订单</h1><nav aria-label="主导航"></nav>'
    # Compiled into the template as text: nothing is looked up when it renders.
    source = chinese.compile('{{ _("Manage Orders") }}', raw=True)
    assert "管理订单" in source and "gettext" not in source


def test_messages_with_values_and_messages_named_by_a_variable_translate_as_they_render(
        chinese) -> None:
    template = chinese.from_string(
        '{{ _("Please confirm shipment by %(date)s to avoid cancellation", date="1月9日") }}|'
        '{{ _(name) }}|'
        '{% trans count=n %}{{ count }} order must be confirmed soon to avoid cancellation.'
        '{% pluralize %}{{ count }} orders must be confirmed soon to avoid cancellation.'
        '{% endtrans %}')
    assert template.render(name="Manage Orders", n=2) == (
        "请在 1月9日 前确认发货，以免订单被取消|管理订单|2 个订单须尽快确认发货，以免被取消。")


def test_translated_text_and_the_values_in_it_are_escaped() -> None:
    english = environment_for("en")
    template = english.from_string(
        '{{ _("Page %(page)s of %(pages)s (%(total)s orders)", page=1, pages=1, '
        'total="<b>") }}|{{ _("A & B") }}')
    assert template.render() == "Page 1 of 1 (&lt;b&gt; orders)|A &amp; B"


def test_only_a_call_of_underscore_on_one_literal_is_rewritten() -> None:
    english = environment_for("en")
    template = english.from_string('{% set _x = "a" %}{{ _x }}{{ ("b") }}{{ _("c", ) }}')
    assert template.render() == "abc"
