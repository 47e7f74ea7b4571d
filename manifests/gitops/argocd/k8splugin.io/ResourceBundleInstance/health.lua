-- Argo CD health check for k8splugin.io/ResourceBundleInstance (rbi-operator). The resource is kstatus-compliant:
-- Ready always present (Unknown at first), Reconciling/Stalled while abnormal, observedGeneration stamped.
-- Install: argocd-cm key resource.customizations.health.k8splugin.io_ResourceBundleInstance (see README).
local hs = {status = "Progressing", message = "Waiting for the operator to report status"}
if obj.status == nil then
  return hs
end
if obj.metadata.generation ~= nil and obj.status.observedGeneration ~= nil
   and obj.status.observedGeneration ~= obj.metadata.generation then
  hs.message = "Spec change not yet observed by the operator"
  return hs
end
if obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Stalled" and c.status == "True" then
      return {status = "Degraded", message = c.message}
    end
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Ready" then
      if c.status == "True" then
        return {status = "Healthy", message = c.message}
      end
      if c.status == "False" then
        return {status = "Degraded", message = c.message}
      end
      return {status = "Progressing", message = c.message}
    end
  end
end
return hs
