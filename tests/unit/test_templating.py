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


def test_a_time_is_the_sellers_with_its_zone_in_each_language() -> None:
    """The same instant in two sellers' zones (and twice in a row: the minute is cached per
    zone), named as each language names the zone."""
    from datetime import UTC, datetime

    from sellerflow.web.i18n import Formats

    moment = datetime(2026, 12, 6, 16, 0, 30, tzinfo=UTC)
    for _ in range(2):
        assert Formats("en", "America/Los_Angeles").when(moment) == "Dec 6, 2026 08:00 PST"
        assert Formats("en", "America/New_York").when(moment) == "Dec 6, 2026 11:00 EST"
        assert Formats("zh_CN", "America/Los_Angeles").when(moment) == (
            "2026年12月6日 08:00（太平洋时间）")
    summer = datetime(2026, 7, 6, 16, 0, tzinfo=UTC)
    assert Formats("en", "America/Los_Angeles").when(summer) == "Jul 6, 2026 09:00 PDT"


def test_a_phrase_is_written_in_the_readers_language_with_its_values_as_real_data() -> None:
    from datetime import UTC, datetime

    from sellerflow.domain.model import OrderStatus
    from sellerflow.domain.text import Phrase
    from sellerflow.web.i18n import Formats

    phrase = Phrase("order %(order)s is %(status)s; it can no longer be canceled",
                    order="111-1111111-1111111", status=OrderStatus.SHIPPED)
    assert str(phrase) == "order 111-1111111-1111111 is Shipped; it can no longer be canceled"
    page = environment_for("zh_CN").from_string("{{ say(p) }}").render(
        p=phrase, fmt=Formats("zh_CN"), status_names={"Shipped": "已发货"})
    assert page == ('订单 <span translate="no" data-real>111-1111111-1111111</span> '
                    '的状态为“已发货”，已无法取消')
    late = Phrase("ship date %(ship_date)s is in the future; give today's date or an earlier one",
                  ship_date=datetime(2026, 12, 7, 3, 0, tzinfo=UTC))
    assert "2026-12-07T03:00:00Z" in str(late)         # the API's words: UTC
    assert "2026年12月6日 19:00（太平洋时间）" in environment_for("zh_CN").from_string(
        "{{ say(p) }}").render(p=late, fmt=Formats("zh_CN"), status_names={})
