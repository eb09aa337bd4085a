from django.db import migrations


def load(apps, schema_editor):
    from xianfeng.reports.checks import builtin_terms

    DraftingTerm = apps.get_model("reports", "DraftingTerm")
    for wrong, right in builtin_terms():
        DraftingTerm.objects.get_or_create(wrong=wrong, defaults={"right": right})


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
