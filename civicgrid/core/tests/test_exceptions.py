from django.core.exceptions import PermissionDenied, ValidationError

from civicgrid.core.exceptions import message_text


def test_a_domain_error_reads_as_one_line_on_a_page():
    field_errors = ValidationError({"lat": ["该位置不在本区任何网格内。"], "photos": ["每一步最多9张照片。", "照片过大。"]})
    assert message_text(field_errors) == "该位置不在本区任何网格内。；每一步最多9张照片。；照片过大。"
    assert message_text(ValidationError(["甲", "乙"])) == "甲；乙"
    assert message_text(PermissionDenied("您的角色不能开展检查。")) == "您的角色不能开展检查。"
